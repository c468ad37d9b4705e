using System.Net;
using System.Net.Http.Headers;
using Google.Apis.Http;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// Puts the channel's access token on every request of an upload (from <see cref="YouTubeAccessTokens"/>,
/// so it is refreshed before it expires), and on a 401 drops it and retries once with a new one.
/// </summary>
internal sealed class BearerCredential(YouTubeAccessTokens tokens, YouTubeCredential credential)
    : IConfigurableHttpClientInitializer, IHttpExecuteInterceptor, IHttpUnsuccessfulResponseHandler
{
    private int _unauthorized;

    public void Initialize(ConfigurableHttpClient httpClient)
    {
        httpClient.MessageHandler.AddExecuteInterceptor(this);
        httpClient.MessageHandler.AddUnsuccessfulResponseHandler(this);
    }

    public async Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(credential, cancellationToken));

    public Task<bool> HandleResponseAsync(HandleUnsuccessfulResponseArgs args)
    {
        if (args.Response.StatusCode != HttpStatusCode.Unauthorized || !args.SupportsRetry || Interlocked.Increment(ref _unauthorized) > 1)
        {
            return Task.FromResult(false);
        }

        tokens.Forget(credential.ChannelId);
        return Task.FromResult(true);
    }
}
