using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Workflow.Tests;

/// <summary>
/// The workflow as DESIGN.md §3 states it, transcribed by hand. Deliberately not read from
/// <see cref="WorkflowDefinition"/>: the tests compare the production table against this.
/// </summary>
internal static class Design
{
    public static readonly (int Number, WorkflowStatus Status, string Code, string NotionName, StatusKind Kind)[] Statuses =
    [
        (1, WorkflowStatus.Draft, "draft", "Draft", StatusKind.Idle),
        (2, WorkflowStatus.Queued, "queued", "Queued", StatusKind.Waiting),
        (3, WorkflowStatus.Claimed, "claimed", "Claimed", StatusKind.Preparing),
        (4, WorkflowStatus.GeneratingAssets, "generating_assets", "Generating Assets", StatusKind.Work),
        (5, WorkflowStatus.AssetsReady, "assets_ready", "Assets Ready", StatusKind.Gate),
        (6, WorkflowStatus.AssetsApproved, "assets_approved", "Assets Approved", StatusKind.Approval),
        (7, WorkflowStatus.GeneratingComposites, "generating_composites", "Generating Composites", StatusKind.Work),
        (8, WorkflowStatus.CompositesReady, "composites_ready", "Composites Ready", StatusKind.PassThrough),
        (9, WorkflowStatus.GeneratingVideo, "generating_video", "Generating Video", StatusKind.Work),
        (10, WorkflowStatus.VideoReady, "video_ready", "Video Ready", StatusKind.Gate),
        (11, WorkflowStatus.VideoApproved, "video_approved", "Video Approved", StatusKind.Approval),
        (12, WorkflowStatus.GeneratingAudio, "generating_audio", "Generating Audio", StatusKind.Work),
        (13, WorkflowStatus.AudioReady, "audio_ready", "Audio Ready", StatusKind.Gate),
        (14, WorkflowStatus.AudioApproved, "audio_approved", "Audio Approved", StatusKind.Approval),
        (15, WorkflowStatus.GeneratingSfx, "generating_sfx", "Generating SFX", StatusKind.Work),
        (16, WorkflowStatus.SfxReady, "sfx_ready", "SFX Ready", StatusKind.PassThrough),
        (17, WorkflowStatus.Assembling, "assembling", "Assembling", StatusKind.Work),
        (18, WorkflowStatus.AssemblyReady, "assembly_ready", "Assembly Ready", StatusKind.PassThrough),
        (19, WorkflowStatus.FinalReview, "final_review", "Final Review", StatusKind.Gate),
        (20, WorkflowStatus.Approved, "approved", "Approved", StatusKind.Approval),
        (21, WorkflowStatus.Uploading, "uploading", "Uploading", StatusKind.Work),
        (22, WorkflowStatus.Published, "published", "Published", StatusKind.Done),
        (23, WorkflowStatus.AssetError, "asset_error", "Asset Error", StatusKind.Error),
        (24, WorkflowStatus.VideoError, "video_error", "Video Error", StatusKind.Error),
        (25, WorkflowStatus.AudioError, "audio_error", "Audio Error", StatusKind.Error),
        (26, WorkflowStatus.UploadError, "upload_error", "Upload Error", StatusKind.Error),
    ];

    // "from -> to : who why". Besides DESIGN.md §3 literally, two agreed choices: claimed can fail into
    // asset_error (and be retried back), and the system may approve a gate (a channel's auto_approve).
    // Cancel (any status but published →H draft) is added below rather than listed 24 times.
    private static readonly string[] Lines =
    [
        "draft -> queued : H queue",
        "queued -> claimed : S claim",
        "claimed -> generating_assets : S start",
        "claimed -> asset_error : S fail",

        "generating_assets -> assets_ready : S complete",
        "generating_assets -> asset_error : S fail",
        "assets_ready -> assets_approved : S,H approve",
        "assets_ready -> generating_assets : H reject",
        "assets_approved -> generating_composites : S start",

        "generating_composites -> composites_ready : S complete",
        "generating_composites -> asset_error : S fail",
        "composites_ready -> generating_video : S pass_on",

        "generating_video -> video_ready : S complete",
        "generating_video -> video_error : S fail",
        "video_ready -> video_approved : S,H approve",
        "video_ready -> generating_video : H reject",
        "video_approved -> generating_audio : S start",

        "generating_audio -> audio_ready : S complete",
        "generating_audio -> audio_error : S fail",
        "audio_ready -> audio_approved : S,H approve",
        "audio_ready -> generating_audio : H reject",
        "audio_approved -> generating_sfx : S start",

        "generating_sfx -> sfx_ready : S complete",
        "generating_sfx -> audio_error : S fail",
        "sfx_ready -> assembling : S pass_on",

        "assembling -> assembly_ready : S complete",
        "assembling -> video_error : S fail",
        "assembly_ready -> final_review : S pass_on",
        "final_review -> approved : S,H approve",
        "final_review -> assembling : H reject",

        "approved -> uploading : S publish",
        "uploading -> published : S complete",
        "uploading -> upload_error : S fail",

        "asset_error -> claimed : S,H retry",
        "asset_error -> generating_assets : S,H retry",
        "asset_error -> generating_composites : S,H retry",
        "video_error -> generating_video : S,H retry",
        "video_error -> assembling : S,H retry",
        "audio_error -> generating_audio : S,H retry",
        "audio_error -> generating_sfx : S,H retry",
        "upload_error -> uploading : S,H retry",
    ];

    private static readonly Dictionary<string, TransitionKind> Kinds = new()
    {
        ["queue"] = TransitionKind.Queue,
        ["claim"] = TransitionKind.Claim,
        ["start"] = TransitionKind.Start,
        ["complete"] = TransitionKind.Complete,
        ["fail"] = TransitionKind.Fail,
        ["approve"] = TransitionKind.Approve,
        ["reject"] = TransitionKind.Reject,
        ["pass_on"] = TransitionKind.PassOn,
        ["publish"] = TransitionKind.Publish,
        ["retry"] = TransitionKind.Retry,
        ["cancel"] = TransitionKind.Cancel,
    };

    /// <summary>Every allowed (from, to, actor) with the kind DESIGN gives it.</summary>
    public static readonly IReadOnlyDictionary<(WorkflowStatus From, WorkflowStatus To, Actor Actor), TransitionKind> Moves = BuildMoves();

    public static IEnumerable<WorkflowStatus> AllStatuses => Statuses.Select(s => s.Status);

    public static string NotionName(WorkflowStatus status) => Statuses.Single(s => s.Status == status).NotionName;

    public static string Code(WorkflowStatus status) => Statuses.Single(s => s.Status == status).Code;

    public static string Describe((WorkflowStatus From, WorkflowStatus To, Actor Actor) move, TransitionKind? kind = null) =>
        $"{Code(move.From)} -> {Code(move.To)} : {(move.Actor == Actor.System ? "S" : "H")}" + (kind is null ? "" : $" {kind}");

    private static Dictionary<(WorkflowStatus, WorkflowStatus, Actor), TransitionKind> BuildMoves()
    {
        var byCode = Statuses.ToDictionary(s => s.Code, s => s.Status);
        var moves = new Dictionary<(WorkflowStatus, WorkflowStatus, Actor), TransitionKind>();
        foreach (var line in Lines)
        {
            var parts = line.Split(' ');
            // parts: from, "->", to, ":", who, why
            var (from, to, who, why) = (byCode[parts[0]], byCode[parts[2]], parts[4], Kinds[parts[5]]);
            foreach (var actor in who.Split(','))
            {
                moves.Add((from, to, actor == "S" ? Actor.System : Actor.Human), why);
            }
        }

        foreach (var status in AllStatuses.Where(s => s is not (WorkflowStatus.Published or WorkflowStatus.Draft)))
        {
            moves.Add((status, WorkflowStatus.Draft, Actor.Human), TransitionKind.Cancel);
        }

        return moves;
    }
}
