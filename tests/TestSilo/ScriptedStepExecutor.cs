using Microsoft.Extensions.DependencyInjection;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Steps;
using Pipeline.Grains.Workspace;

namespace Pipeline.TestSilo;

/// <summary>
/// The test executor: each run does what the task's <see cref="IStepScriptGrain"/> says. With
/// <see cref="UploadBytesSetting"/> set, the upload step is the real one (YouTube or the outbox) on a video of that
/// many bytes, made for the task without the other steps' media, so upload tests need no ffmpeg.
/// </summary>
public sealed class ScriptedStepExecutor(IGrainFactory grains, IServiceProvider services) : IStepExecutor
{
    public const string UploadBytesSetting = "PIPELINE_TEST_UPLOAD_BYTES";

    private static readonly int? UploadBytes =
        int.TryParse(Environment.GetEnvironmentVariable(UploadBytesSetting), out var bytes) ? bytes : null;

    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        if (request.Status == WorkflowStatus.Uploading && UploadBytes is { } size)
        {
            return await RealUploadAsync(request, size, cancellationToken);
        }

        var script = grains.GetGrain<IStepScriptGrain>(request.TaskId);
        switch (await script.Next(request.Status))
        {
            case StepBehaviour.FailTransient:
                return request.Failed($"scripted transient failure in {request.Status}", costUsd: 0.01m);
            case StepBehaviour.FailPermanent:
                return request.Failed($"scripted bad input in {request.Status}", permanent: true);
            case StepBehaviour.Hold:
                try
                {
                    while (await script.IsHeld(request.Status))
                    {
                        await Task.Delay(100, cancellationToken);
                    }
                }
                catch (OperationCanceledException)
                {
                    await script.RecordCancelled(request.Status);
                    throw;
                }

                break;
        }

        return request.Succeeded(costUsd: 0.01m, youTubeUrl: request.Status == WorkflowStatus.Uploading
            ? $"https://youtu.be/{request.TaskId}" : null);
    }

    private async Task<StepResult> RealUploadAsync(StepRequest request, int size, CancellationToken cancellationToken)
    {
        var workspace = TaskWorkspace.For(services.GetRequiredService<WorkspaceOptions>(), request.ChannelId, request.TaskId);
        workspace.Create();
        var video = workspace.Resolve(StepPlanner.FinalVideoFile);
        if (!File.Exists(video) && request.YouTubeVideoId is null)
        {
            // The same bytes for the same task on any silo, as an assembled file would be.
            var content = new byte[size];
            var seed = BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request.TaskId)));
            new Random(seed).NextBytes(content);
            await File.WriteAllBytesAsync(video + ".partial", content, cancellationToken);
            File.Move(video + ".partial", video, overwrite: true);
        }

        return await services.GetRequiredService<ScriptStepExecutor>().RunAsync(request, cancellationToken);
    }
}
