namespace Pipeline.ApiGateway.Tasks;

/// <summary>
/// Times leave the API as ISO 8601 UTC with a Z. Grain state can come back from storage with an unspecified
/// kind, which System.Text.Json would write without the Z; it is UTC by contract, so it is marked so.
/// </summary>
public static class UtcTimes
{
    public static DateTime Normalize(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static DateTime? Normalize(DateTime? value) => value is { } v ? Normalize(v) : null;
}
