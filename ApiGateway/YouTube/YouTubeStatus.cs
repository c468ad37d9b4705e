using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Channels;

namespace Pipeline.ApiGateway.YouTube;

/// <summary>A channel's YouTube connection as <c>GET /channels/{id}</c> shows it: never the token.</summary>
/// <param name="Status"><c>connected</c>, <c>on_hold</c> or <c>not_connected</c> (then it publishes to the outbox).</param>
/// <param name="Reason">Why uploads are on hold.</param>
/// <param name="ConnectedAt">When the last consent was stored.</param>
/// <param name="HeldAt">Since when uploads are on hold.</param>
/// <param name="Project">The Google Cloud project whose quota it spends.</param>
/// <param name="PublishSlots">When its videos go public.</param>
public sealed record YouTubeStatus(string Status, string? Reason, DateTime? ConnectedAt, DateTime? HeldAt, string Project, string? PublishSlots)
{
    public const string Connected = "connected";
    public const string OnHold = "on_hold";
    public const string NotConnected = "not_connected";

    public static YouTubeStatus From(ChannelConfig config, ChannelState state)
    {
        var youTube = config.YouTube ?? ChannelYouTubeConfig.Default;
        var status = state.YouTubeConnectedAt is null ? NotConnected : state.YouTubeHoldReason is not null ? OnHold : Connected;
        return new YouTubeStatus(status, state.YouTubeHoldReason, UtcTimes.Normalize(state.YouTubeConnectedAt), UtcTimes.Normalize(state.YouTubeHeldAt), youTube.Project, youTube.PublishSlots);
    }
}
