using Orleans.Concurrency;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>
/// One video (key: the Notion page id, or a generated id for tasks made through the API).
/// Owns the workflow state machine: every command is checked against <see cref="WorkflowDefinition"/>,
/// and a refused one changes nothing and says why.
/// </summary>
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>The whole persisted state (also what the Orleans Dashboard shows).</summary>
    /// <returns>The state; <see cref="TaskState.TaskId"/> is empty when the task does not exist.</returns>
    Task<TaskState> GetState();

    /// <summary>
    /// Whether the task waits for, holds, or has no use for a slot of its channel: the one rule both
    /// sides use (answered even while the grain is busy, for the channel's periodic check).
    /// </summary>
    /// <returns>What the task needs now.</returns>
    [AlwaysInterleave]
    Task<SlotNeed> GetSlotNeed();

    /// <summary>Creates the task in draft (or queued when asked).</summary>
    /// <param name="task">What to create.</param>
    /// <returns>The new task, or TASK_EXISTS, CHANNEL_NOT_FOUND, VALIDATION_FAILED.</returns>
    Task<TaskCommandResult> Create(NewTask task);

    /// <summary>draft → queued: the channel will start it when it has a free slot.</summary>
    /// <param name="action">Who asks.</param>
    /// <returns>The task, or why not.</returns>
    Task<TaskCommandResult> Queue(HumanAction action);

    /// <summary>Approves the review gate the task waits at.</summary>
    /// <param name="action">The gate meant (optional), notes, who.</param>
    /// <returns>The task, or why not.</returns>
    Task<TaskCommandResult> Approve(HumanAction action);

    /// <summary>Rejects the review gate the task waits at: the step runs again for the items named (all when none).</summary>
    /// <param name="action">The gate meant (optional), the reviewer's notes, the items, who.</param>
    /// <returns>The task, or why not.</returns>
    Task<TaskCommandResult> Reject(HumanAction action);

    /// <summary>A human retry from an error status: at once, with the retry count reset.</summary>
    /// <param name="action">Who asks.</param>
    /// <returns>The task, or why not.</returns>
    Task<TaskCommandResult> Retry(HumanAction action);

    /// <summary>Back to draft from any status but published; running jobs stop, files stay.</summary>
    /// <param name="action">Who asks, and why.</param>
    /// <returns>The task, or why not.</returns>
    Task<TaskCommandResult> Cancel(HumanAction action);

    /// <summary>
    /// A person set the status directly (Notion's Status property): the matching command, or a refusal
    /// when the workflow has no such human move.
    /// </summary>
    /// <param name="to">The status the person chose.</param>
    /// <param name="action">Who, and any notes.</param>
    /// <returns>The task, or why not.</returns>
    Task<TaskCommandResult> SetStatus(WorkflowStatus to, HumanAction action);

    /// <summary>The channel gives the task one of its slots: a queued task is claimed and starts.</summary>
    /// <param name="queuedAt">
    /// When the place in line the slot is for was taken. A grant for an earlier place (the task was
    /// cancelled and queued again while it was on its way) is ignored: its slot was given back with
    /// the cancel. Null from the channel's periodic check, which has just seen the task waiting.
    /// </param>
    /// <returns>Nothing; one-way, so the channel never waits on a task.</returns>
    [OneWay]
    Task SlotGranted(DateTime? queuedAt);

    /// <summary>A step's work ended (called by the task's own step runs, not by clients).</summary>
    /// <param name="result">What the step reports.</param>
    /// <returns>When the outcome is recorded.</returns>
    Task StepFinished(StepResult result);

    /// <summary>
    /// One job of the running step finished and its output is on disk (called by the step run).
    /// Recorded at once, so a crash later in the step does not make this job run again.
    /// </summary>
    /// <param name="runId">The step run it belongs to; a record from a run that was stopped is ignored.</param>
    /// <param name="record">The job's output.</param>
    /// <returns>When it is stored.</returns>
    Task RecordJob(Guid runId, JobRecord record);

    /// <summary>
    /// The upload step opened a YouTube upload session (or gave one up, with null): stored before any byte is
    /// sent, so a crash later resumes it rather than uploading the video a second time.
    /// </summary>
    /// <param name="runId">The step run; a run that was stopped or superseded is refused (it must not send).</param>
    /// <param name="sessionUri">The session URI; null forgets the session.</param>
    /// <param name="sha256">The SHA-256 of the file being uploaded.</param>
    /// <returns>When stored.</returns>
    /// <exception cref="InvalidOperationException">The run is no longer the task's.</exception>
    Task RecordYouTubeSession(Guid runId, string? sessionUri, string? sha256);

    /// <summary>
    /// YouTube made the video: its id and URL are stored at once, whichever run it came from, so the task is
    /// never uploaded again.
    /// </summary>
    /// <param name="videoId">The video's id.</param>
    /// <param name="url">Its URL.</param>
    /// <returns>When stored.</returns>
    Task RecordYouTubeVideo(string videoId, string url);

    /// <summary>What the running step is waiting for (e.g. the daily YouTube quota), shown as the status reason; null clears it.</summary>
    /// <param name="runId">The step run; a note from another run is ignored.</param>
    /// <param name="note">The note.</param>
    /// <returns>When stored.</returns>
    Task SetStepNote(Guid runId, string? note);
}
