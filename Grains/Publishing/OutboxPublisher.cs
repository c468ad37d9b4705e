using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Steps;
using Pipeline.Grains.Workspace;

namespace Pipeline.Grains.Publishing;

/// <summary>
/// Publishes to a folder instead of YouTube, for channels without YouTube credentials: the video
/// and a JSON file with the metadata an upload would send, at
/// <c>&lt;outbox&gt;/&lt;channel id&gt;/&lt;task id&gt;.mp4</c> and <c>.json</c>. Publishing again replaces both.
/// </summary>
public sealed partial class OutboxPublisher(WorkspaceOptions options, TimeProvider clock, ILogger<OutboxPublisher> logger)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Copies the video and writes its metadata; files appear whole or not at all.</summary>
    /// <returns>The published video's path.</returns>
    public async Task<string> PublishAsync(StepRequest request, Plan? plan, string video, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(options.Outbox, request.ChannelId)).FullName;
        var target = Path.Combine(folder, $"{request.TaskId}.mp4");
        await CopyAtomicallyAsync(video, target, cancellationToken);

        var metadata = new
        {
            task_id = request.TaskId,
            channel_id = request.ChannelId,
            title = VideoMetadata.Title(plan?.Title ?? request.Title),
            description = VideoMetadata.Description(plan?.Description ?? request.Topic ?? ""),
            tags = VideoMetadata.Tags(plan?.Tags ?? []),
            privacy_status = "private",
            made_for_kids = false,
            contains_synthetic_media = true,
            video = Path.GetFileName(target),
            size_bytes = new FileInfo(target).Length,
            sha256 = await FileHashes.Sha256Async(target, cancellationToken),
            published_at = clock.GetUtcNow().UtcDateTime,
        };
        var json = Path.Combine(folder, $"{request.TaskId}.json");
        await File.WriteAllTextAsync(json + ".tmp", JsonSerializer.Serialize(metadata, Json), cancellationToken);
        File.Move(json + ".tmp", json, overwrite: true);

        LogPublished(target);
        return target;
    }

    /// <summary>The published video of a task, when it is in the outbox whole (its metadata is written last).</summary>
    /// <returns>The video's path, or null.</returns>
    public string? Find(string channelId, string taskId)
    {
        var video = Path.Combine(options.Outbox, channelId, $"{taskId}.mp4");
        return File.Exists(video) && File.Exists(Path.ChangeExtension(video, ".json")) ? video : null;
    }

    private static async Task CopyAtomicallyAsync(string source, string target, CancellationToken cancellationToken)
    {
        var partial = target + ".partial";
        await using (var from = File.OpenRead(source))
        await using (var to = File.Create(partial))
        {
            await from.CopyToAsync(to, cancellationToken);
        }

        File.Move(partial, target, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published to the outbox: {Video}")]
    private partial void LogPublished(string video);
}
