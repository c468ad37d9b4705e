using Google.Apis.Http;
using Google.Apis.Services;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// The minimal Google.Apis client service that <see cref="ResumableUploadOfVideo"/> needs (Google.Apis.YouTube.v3,
/// which would provide it, is not available to us): the upload endpoint split into base URI and path, and
/// an HTTP client carrying the channel's access token.
/// </summary>
internal sealed class YouTubeUploadService : BaseClientService
{
    public YouTubeUploadService(YouTubeUploaderOptions options, IConfigurableHttpClientInitializer credential)
        : base(new Initializer
        {
            HttpClientInitializer = credential,
            ApplicationName = "Pipeline",
            HttpClientTimeout = options.RequestTimeout,
            DefaultExponentialBackOffPolicy = options.BackOffOnServerErrors
                ? Google.Apis.Http.ExponentialBackOffPolicy.UnsuccessfulResponse503
                : Google.Apis.Http.ExponentialBackOffPolicy.None,
            GZipEnabled = false,
        })
    {
        var endpoint = options.Endpoint.GetLeftPart(UriPartial.Path);
        var slash = endpoint.LastIndexOf('/');
        UploadBaseUri = endpoint[..(slash + 1)];
        UploadPath = endpoint[(slash + 1)..];
    }

    /// <summary>The last segment of the endpoint (<c>videos</c>), relative to <see cref="BaseUri"/>.</summary>
    public string UploadPath { get; }

    private string UploadBaseUri { get; }

    public override string Name => "youtube";

    public override string BaseUri => UploadBaseUri;

    public override string BasePath => "";

    public override IList<string> Features => [];
}
