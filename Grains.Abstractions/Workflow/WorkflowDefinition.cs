using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace Pipeline.Grains.Abstractions.Workflow;

using static WorkflowStatus;

/// <summary>
/// The workflow of DESIGN.md §3, defined once: the 26 statuses, every allowed transition with who may
/// make it and why, the gates, the error statuses and the retry schedule. Grains, gateway validation,
/// the Notion mapping and docs/workflow.md all read it from here.
/// </summary>
public static partial class WorkflowDefinition
{
    /// <summary>
    /// How long an error status waits before each automatic retry. After the last one the task stays in
    /// its error status, an alert goes out, and only a human retry moves it.
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultRetrySchedule { get; } = Array.AsReadOnly(
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(60),
    ]);

    /// <summary>All 26 statuses, in DESIGN.md order (by number).</summary>
    public static IReadOnlyList<StatusDefinition> Statuses { get; } = Array.AsReadOnly(
    [
        new(Draft, "draft", "Draft", StatusKind.Idle, "idle; a human sets it"),
        new(Queued, "queued", "Queued", StatusKind.Waiting, "waiting for its channel's turn") { Next = Claimed },

        // DESIGN lists no failure for claimed, but preparing the plan can fail (a bad plan block, an
        // LLM error). Those are asset problems, so they land in asset_error, whose retry comes back here.
        new(Claimed, "claimed", "Claimed", StatusKind.Preparing, "workspace and plan being prepared")
            { Next = GeneratingAssets, ErrorStatus = AssetError },

        Work(GeneratingAssets, "generating_assets", "Generating Assets", "images being generated", AssetsReady, AssetError),
        Gate(AssetsReady, "assets_ready", "Assets Ready", "images waiting for review", ReviewGate.Assets, AssetsApproved, GeneratingAssets),
        Approval(AssetsApproved, "assets_approved", "Assets Approved", "images approved", GeneratingComposites),
        Work(GeneratingComposites, "generating_composites", "Generating Composites", "16:9 composites being built", CompositesReady, AssetError),
        PassThrough(CompositesReady, "composites_ready", "Composites Ready", GeneratingVideo),
        Work(GeneratingVideo, "generating_video", "Generating Video", "clips being generated", VideoReady, VideoError),
        Gate(VideoReady, "video_ready", "Video Ready", "clips waiting for review", ReviewGate.Video, VideoApproved, GeneratingVideo),
        Approval(VideoApproved, "video_approved", "Video Approved", "clips approved", GeneratingAudio),
        Work(GeneratingAudio, "generating_audio", "Generating Audio", "narration being generated", AudioReady, AudioError),
        Gate(AudioReady, "audio_ready", "Audio Ready", "narration waiting for review", ReviewGate.Audio, AudioApproved, GeneratingAudio),
        Approval(AudioApproved, "audio_approved", "Audio Approved", "narration approved", GeneratingSfx),
        Work(GeneratingSfx, "generating_sfx", "Generating SFX", "sound effects being generated", SfxReady, AudioError),
        PassThrough(SfxReady, "sfx_ready", "SFX Ready", Assembling),
        Work(Assembling, "assembling", "Assembling", "final video being assembled", AssemblyReady, VideoError),
        PassThrough(AssemblyReady, "assembly_ready", "Assembly Ready", FinalReview),
        Gate(FinalReview, "final_review", "Final Review", "assembled video waiting for review", ReviewGate.Final, Approved, Assembling),
        Approval(Approved, "approved", "Approved", "approved; waits for a publish slot and quota", Uploading),
        Work(Uploading, "uploading", "Uploading", "being uploaded to YouTube", Published, UploadError),
        new(Published, "published", "Published", StatusKind.Done, "done; YouTube URL recorded"),
        Error(AssetError, "asset_error", "Asset Error", "plan, assets or composites failed", Claimed, GeneratingAssets, GeneratingComposites),
        Error(VideoError, "video_error", "Video Error", "clips or assembly failed", GeneratingVideo, Assembling),
        Error(AudioError, "audio_error", "Audio Error", "narration or SFX failed", GeneratingAudio, GeneratingSfx),
        Error(UploadError, "upload_error", "Upload Error", "upload failed", Uploading),
    ]);

    /// <summary>Every allowed transition, grouped by the status it leaves, in status order.</summary>
    public static IReadOnlyList<TransitionRule> Transitions { get; } = BuildTransitions();

    private static readonly FrozenDictionary<WorkflowStatus, StatusDefinition> ByStatus =
        Statuses.ToFrozenDictionary(s => s.Status);

    private static readonly FrozenDictionary<string, WorkflowStatus> ByCode =
        Statuses.ToFrozenDictionary(s => s.Code, s => s.Status, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, WorkflowStatus> ByNotionName =
        Statuses.ToFrozenDictionary(s => s.NotionName, s => s.Status, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<(WorkflowStatus From, WorkflowStatus To, Actor Actor), TransitionRule> ByMove =
        Transitions.ToFrozenDictionary(t => (t.From, t.To, t.Actor));

    private static readonly FrozenDictionary<WorkflowStatus, IReadOnlyList<TransitionRule>> ByFrom =
        Statuses.ToFrozenDictionary(
            s => s.Status,
            s => (IReadOnlyList<TransitionRule>)Transitions.Where(t => t.From == s.Status).ToArray().AsReadOnly());

    private static readonly FrozenDictionary<ReviewGate, WorkflowStatus> ByGate =
        Statuses.Where(s => s.Gate is not null).ToFrozenDictionary(s => s.Gate!.Value, s => s.Status);

    /// <summary>The definition of a status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>Its definition.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the 26 statuses.</exception>
    public static StatusDefinition Get(WorkflowStatus status) =>
        ByStatus.TryGetValue(status, out var definition)
            ? definition
            : throw new ArgumentOutOfRangeException(nameof(status), status, "not a workflow status");

    /// <summary>Whether the value is one of the 26 statuses (guards values read from storage or requests).</summary>
    /// <param name="status">The value.</param>
    /// <returns>True when it is defined.</returns>
    public static bool IsDefined(WorkflowStatus status) => ByStatus.ContainsKey(status);

    /// <summary>Reads a status code such as <c>generating_assets</c>, ignoring case and surrounding spaces.</summary>
    /// <param name="code">The code.</param>
    /// <param name="status">The status, when found.</param>
    /// <returns>True when the code names a status.</returns>
    public static bool TryParseCode(string? code, out WorkflowStatus status) => TryFind(ByCode, code, out status);

    /// <summary>Reads a Notion Status option such as <c>Generating Assets</c>, ignoring case and surrounding spaces.</summary>
    /// <param name="notionName">The option's name.</param>
    /// <param name="status">The status, when found.</param>
    /// <returns>True when the name is one of the 26 options.</returns>
    public static bool TryParseNotionName(string? notionName, out WorkflowStatus status) =>
        TryFind(ByNotionName, notionName, out status);

    /// <summary>The transitions out of a status (for every actor), in table order.</summary>
    /// <param name="from">The status.</param>
    /// <returns>Its outgoing transitions; empty for published or an undefined value.</returns>
    public static IReadOnlyList<TransitionRule> TransitionsFrom(WorkflowStatus from) =>
        ByFrom.TryGetValue(from, out var rules) ? rules : [];

    /// <summary>
    /// Whether <paramref name="actor"/> may move a task from <paramref name="from"/> to <paramref name="to"/>;
    /// when not, a reason for people that names both statuses.
    /// </summary>
    /// <param name="from">The status the task is in.</param>
    /// <param name="to">The status asked for.</param>
    /// <param name="actor">Who asks.</param>
    /// <returns>The answer, with the kind of transition when allowed and the reason when refused.</returns>
    public static TransitionCheck Check(WorkflowStatus from, WorkflowStatus to, Actor actor)
    {
        if (ByMove.TryGetValue((from, to, actor), out var rule))
        {
            return TransitionCheck.Allowed(rule);
        }

        return TransitionCheck.Refused(from, to, actor, RefusalReason(from, to, actor));
    }

    /// <summary>Where the system moves the task when this status's part is done (see <see cref="StatusDefinition.Next"/>).</summary>
    /// <param name="status">Typically a work status.</param>
    /// <returns>The next status, or null where the system does not move on by itself.</returns>
    public static WorkflowStatus? NextOnSuccess(WorkflowStatus status) => Find(status)?.Next;

    /// <summary>Where a failure of this status's work leads.</summary>
    /// <param name="status">A work status, or claimed.</param>
    /// <returns>Its error status, or null for statuses that run no work.</returns>
    public static WorkflowStatus? ErrorStatusOf(WorkflowStatus status) => Find(status)?.ErrorStatus;

    /// <summary>Where approving a gate leads.</summary>
    /// <param name="gateStatus">A gate status, e.g. assets_ready.</param>
    /// <returns>Its approval status, or null when the status is not a gate.</returns>
    public static WorkflowStatus? ApprovalOf(WorkflowStatus gateStatus) => Find(gateStatus)?.Approval;

    /// <summary>The work status a rejection of a gate runs again.</summary>
    /// <param name="gateStatus">A gate status, e.g. video_ready.</param>
    /// <returns>The work status that made it, or null when the status is not a gate.</returns>
    public static WorkflowStatus? RejectionTargetOf(WorkflowStatus gateStatus) => Find(gateStatus)?.RejectionTarget;

    /// <summary>The review gate a status is.</summary>
    /// <param name="status">Any status.</param>
    /// <returns>The gate for the four gate statuses; null for every other status, approvals included.</returns>
    public static ReviewGate? GateOf(WorkflowStatus status) => Find(status)?.Gate;

    /// <summary>The status at which a review gate waits.</summary>
    /// <param name="gate">The gate.</param>
    /// <returns>Its gate status, e.g. final_review for <see cref="ReviewGate.Final"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the four gates.</exception>
    public static WorkflowStatus GateStatusOf(ReviewGate gate) =>
        ByGate.TryGetValue(gate, out var status)
            ? status
            : throw new ArgumentOutOfRangeException(nameof(gate), gate, "not a review gate");

    /// <summary>Whether nothing can move a task out of this status (only published).</summary>
    /// <param name="status">The status.</param>
    /// <returns>True for published.</returns>
    public static bool IsTerminal(WorkflowStatus status) => Find(status)?.Kind == StatusKind.Done;

    /// <summary>
    /// Whether a task in this status counts toward its channel's <c>max_concurrent_videos</c>: every status
    /// except draft, queued and published. Gates count, or a channel could start any number of videos while
    /// reviews wait; approved counts while it waits for a publish slot; error statuses count because a retry
    /// resumes them, so they keep their slot while retrying.
    /// </summary>
    /// <param name="status">The status.</param>
    /// <returns>True when the task holds one of its channel's slots.</returns>
    public static bool IsActive(WorkflowStatus status) =>
        Find(status)?.Kind is not (null or StatusKind.Idle or StatusKind.Waiting or StatusKind.Done);

    private static StatusDefinition? Find(WorkflowStatus status) =>
        ByStatus.TryGetValue(status, out var definition) ? definition : null;

    private static bool TryFind(FrozenDictionary<string, WorkflowStatus> index, string? text, out WorkflowStatus status)
    {
        status = default;
        return text is not null && index.TryGetValue(text.Trim(), out status);
    }

    private static StatusDefinition Work(
        WorkflowStatus status, string code, string notionName, string description, WorkflowStatus next, WorkflowStatus error) =>
        new(status, code, notionName, StatusKind.Work, description) { Next = next, ErrorStatus = error };

    private static StatusDefinition Gate(
        WorkflowStatus status,
        string code,
        string notionName,
        string description,
        ReviewGate gate,
        WorkflowStatus approval,
        WorkflowStatus rejection) =>
        new(status, code, notionName, StatusKind.Gate, description)
        {
            Gate = gate,
            Approval = approval,
            RejectionTarget = rejection,
        };

    private static StatusDefinition Approval(
        WorkflowStatus status, string code, string notionName, string description, WorkflowStatus next) =>
        new(status, code, notionName, StatusKind.Approval, description) { Next = next };

    private static StatusDefinition PassThrough(WorkflowStatus status, string code, string notionName, WorkflowStatus next) =>
        new(status, code, notionName, StatusKind.PassThrough, "passes on at once") { Next = next };

    private static StatusDefinition Error(
        WorkflowStatus status, string code, string notionName, string description, params WorkflowStatus[] retryTargets) =>
        new(status, code, notionName, StatusKind.Error, description) { RetryTargets = retryTargets.AsReadOnly() };

    // Derived from the status table rather than listed again, so a status's fields and its
    // transitions cannot disagree; the tests hold an independent literal list to catch a wrong derivation.
    private static ReadOnlyCollection<TransitionRule> BuildTransitions()
    {
        var rules = new List<TransitionRule>();
        foreach (var s in Statuses)
        {
            switch (s.Kind)
            {
                case StatusKind.Idle:
                    rules.Add(new(s.Status, Queued, Actor.Human, TransitionKind.Queue));
                    break;
                case StatusKind.Waiting:
                    rules.Add(new(s.Status, s.Next!.Value, Actor.System, TransitionKind.Claim));
                    break;
                case StatusKind.Preparing:
                    rules.Add(new(s.Status, s.Next!.Value, Actor.System, TransitionKind.Start));
                    rules.Add(new(s.Status, s.ErrorStatus!.Value, Actor.System, TransitionKind.Fail));
                    break;
                case StatusKind.Work:
                    rules.Add(new(s.Status, s.Next!.Value, Actor.System, TransitionKind.Complete));
                    rules.Add(new(s.Status, s.ErrorStatus!.Value, Actor.System, TransitionKind.Fail));
                    break;
                case StatusKind.Gate:
                    rules.Add(new(s.Status, s.Approval!.Value, Actor.Human, TransitionKind.Approve));

                    // The system may approve too, because a channel can auto-approve a gate. The table
                    // cannot know channel configuration: the task grain allows this only when the
                    // channel's auto_approve lists the gate.
                    rules.Add(new(s.Status, s.Approval!.Value, Actor.System, TransitionKind.Approve));
                    rules.Add(new(s.Status, s.RejectionTarget!.Value, Actor.Human, TransitionKind.Reject));
                    break;
                case StatusKind.Approval:
                    // Leaving approved is gated on a publish slot and YouTube quota, unlike the other approvals.
                    var kind = s.Next == Uploading ? TransitionKind.Publish : TransitionKind.Start;
                    rules.Add(new(s.Status, s.Next!.Value, Actor.System, kind));
                    break;
                case StatusKind.PassThrough:
                    rules.Add(new(s.Status, s.Next!.Value, Actor.System, TransitionKind.PassOn));
                    break;
                case StatusKind.Error:
                    foreach (var target in s.RetryTargets)
                    {
                        rules.Add(new(s.Status, target, Actor.System, TransitionKind.Retry));
                        rules.Add(new(s.Status, target, Actor.Human, TransitionKind.Retry));
                    }

                    break;
                case StatusKind.Done:
                    break;
                default:
                    throw new InvalidOperationException($"{s.Code} has kind {s.Kind}, which the workflow does not handle.");
            }

            if (s.Kind is not (StatusKind.Idle or StatusKind.Done))
            {
                rules.Add(new(s.Status, Draft, Actor.Human, TransitionKind.Cancel));
            }
        }

        return rules.AsReadOnly();
    }
}
