namespace Pipeline.Grains.Tasks;

/// <summary>
/// A task grain's state as the Orleans ADO.NET provider's <c>orleansstorage</c> row holds it (its key columns for a
/// string-keyed grain, and the payload), to be written with the task's read-model rows by <see cref="TaskWriter"/>.
/// </summary>
/// <param name="ExpectedVersion">The version the grain read or last wrote (its ETag); null for a first write.</param>
public sealed record TaskStateRow(
    string TaskId,
    int GrainIdHash,
    int GrainTypeHash,
    string GrainType,
    string ServiceId,
    int? ExpectedVersion,
    byte[] Payload);
