using System.Globalization;
using Microsoft.Extensions.Configuration;
using Pipeline.Grains.Abstractions.Limits;

namespace Pipeline.Grains.Limits;

/// <summary>How the provider limiters hand out slots.</summary>
/// <param name="LeaseDuration">How long a slot stays held without a renewal (holders renew every third of it).</param>
public sealed record LimiterOptions(TimeSpan LeaseDuration)
{
    /// <summary>Reads PIPELINE_LEASE_SECONDS (whole seconds, at least 1; default 60).</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The options.</returns>
    public static LimiterOptions From(IConfiguration configuration) => new(configuration["PIPELINE_LEASE_SECONDS"] switch
    {
        null or "" => LimiterConfig.DefaultLeaseDuration,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1 => TimeSpan.FromSeconds(seconds),
        var text => throw new InvalidOperationException($"PIPELINE_LEASE_SECONDS must be a whole number of seconds, at least 1; '{text}' is not."),
    });
}
