using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.Grains.Tasks;

/// <summary>What the upload step records as it goes: its YouTube session, the video, and what it waits for.</summary>
public sealed partial class TaskGrain
{
    public async Task RecordYouTubeSession(Guid runId, string? sessionUri, string? sha256)
    {
        if (!Exists || _run?.RunId != runId)
        {
            // A stopped run must not send a byte: failing its callback stops its upload before it starts.
            throw new InvalidOperationException($"Task {this.GetPrimaryKeyString()}: the upload run {runId} is no longer the task's.");
        }

        using var scope = BeginScope();
        Current.YouTubeUploadSession = sessionUri;
        Current.YouTubeUploadSha256 = sessionUri is null ? null : sha256;
        Current.UpdatedAt = Now();
        await SaveStateAsync();
        LogSession(sessionUri is null ? "forgotten" : "stored");
    }

    public async Task RecordYouTubeVideo(string videoId, string url)
    {
        if (!Exists)
        {
            return;
        }

        using var scope = BeginScope();
        Current.YouTubeVideoId = videoId;
        Current.YouTubeUrl = url;
        Current.YouTubeUploadSession = null;
        Current.YouTubeUploadSha256 = null;
        Current.UpdatedAt = Now();
        await PersistAsync();
        LogVideo(videoId);
    }

    public async Task SetStepNote(Guid runId, string? note)
    {
        if (!Exists || _run?.RunId != runId || Current.StatusReason == note)
        {
            return;
        }

        using var scope = BeginScope();
        Current.StatusReason = note;
        Current.UpdatedAt = Now();
        await PersistAsync();
    }

    /// <summary>A failed step may know better than the retry schedule: when to try again, and what to tell people.</summary>
    private void ApplyStepAdvice(StepResult result)
    {
        if (result.RetryAt is { } at && !result.Permanent)
        {
            Current.NextRetryAt = at;
            Current.StatusReason = result.Reason ?? $"automatic retry at {at:O}";
        }
        else if (result.Reason is { } reason)
        {
            Current.StatusReason = reason;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "YouTube upload session {What}")]
    private partial void LogSession(string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "YouTube video {VideoId} recorded")]
    private partial void LogVideo(string videoId);
}
