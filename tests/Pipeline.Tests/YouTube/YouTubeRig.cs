using Google.Apis.Upload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Grains.YouTube;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.YouTube;

/// <summary>
/// The YouTube building blocks wired to a <see cref="FakeYouTube"/>, as <see cref="YouTubeServices"/> would wire
/// them to Google, with a manual clock and small chunks. <see cref="Restart"/> gives a fresh set sharing
/// nothing in memory with the last one, as a new process would.
/// </summary>
public sealed class YouTubeRig : IAsyncDisposable
{
    public const int Chunk = ResumableUpload.MinimumChunkSize;

    private readonly List<string> _files = [];

    public YouTubeRig()
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(Fake.Environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).Build();
        Options = YouTubeOAuthOptions.From(Configuration)!;
        Restart();
    }

    public FakeYouTube Fake { get; } = new();

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public EncryptionKeys Keys { get; } = new(EncryptionKey.Generate());

    public IConfiguration Configuration { get; }

    public YouTubeOAuthOptions Options { get; }

    public CapturingLogger Logs { get; } = new();

    public YouTubeOAuthClient OAuth { get; private set; } = null!;

    public YouTubeAccessTokens Tokens { get; private set; } = null!;

    public YouTubeUploader Uploader { get; private set; } = null!;

    public ConsentState State => new(Keys, Clock, Options.StateLifetime);

    /// <summary>New clients and an empty token cache, as after a process restart.</summary>
    public void Restart()
    {
        OAuth?.Dispose();
        OAuth = new YouTubeOAuthClient(Options, State, Clock, Logs.For<YouTubeOAuthClient>());
        Tokens = new YouTubeAccessTokens(OAuth, Options, Clock);
        var uploader = YouTubeUploaderOptions.From(Configuration) with { ChunkSize = Chunk, BackOffOnServerErrors = false };
        Uploader = new YouTubeUploader(uploader, Tokens, Logs.For<YouTubeUploader>());
    }

    /// <summary>A credential the fake knows, as if the channel had consented.</summary>
    public YouTubeCredential Consented(string channelId = "wild-africa") => new(channelId, Fake.IssueRefreshToken());

    /// <summary>A file of random bytes, deleted with the rig.</summary>
    public string VideoFile(int bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-youtube-{Guid.NewGuid():N}.mp4");
        var content = new byte[bytes];
        Random.Shared.NextBytes(content);
        File.WriteAllBytes(path, content);
        _files.Add(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        OAuth.Dispose();
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        await Fake.DisposeAsync();
    }

    /// <summary>Every log line of the rig's components, with its values, whatever the category.</summary>
    public sealed class CapturingLogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger<T> For<T>() => new Sink<T>(_lines);

        private sealed class Sink<T>(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger<T>
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => NullLogger.Instance.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{logLevel} {formatter(state, exception)} {values} {exception}");
            }
        }
    }
}
