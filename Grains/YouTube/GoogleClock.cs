using Google.Apis.Util;

namespace Pipeline.Grains.YouTube;

/// <summary>Google.Apis' clock from ours, so the token times it records follow the host's (and the tests') TimeProvider.</summary>
internal sealed class GoogleClock(TimeProvider clock) : IClock
{
    public DateTime Now => clock.GetLocalNow().DateTime;

    public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;
}
