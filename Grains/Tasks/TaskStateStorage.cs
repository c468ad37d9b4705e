using System.Globalization;
using System.Text;
using Orleans.Configuration;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// Grain storage for task grains: the Orleans ADO.NET provider's own rows, read and cleared by the provider, and
/// written by <see cref="TaskWriter"/> in the provider's row format with the same compare-and-set on version,
/// together with the move's history and read-model row and with other tasks' writes in one statement. A task's
/// state, history and row are then one transaction and, on a busy silo, a fraction of a round trip: the
/// provider would take one round trip of its own per write.
/// </summary>
/// <param name="provider">The ADO.NET provider the rows belong to (the silo's default grain storage).</param>
/// <param name="providerName">That provider's name, as its hash picker is told.</param>
/// <param name="options">That provider's options: its serializer and hash picker make the row.</param>
public sealed class TaskStateStorage(
    IGrainStorage provider,
    string providerName,
    AdoNetGrainStorageOptions options,
    string serviceId,
    TaskWriter writer) : IGrainStorage
{
    /// <summary>The storage name task grains ask for.</summary>
    public const string Name = "tasks";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        provider.ClearStateAsync(stateName, grainId, grainState);

    /// <summary>
    /// Stores the state with its outbox (<see cref="TaskState.UnsyncedTransitions"/>) written to the read model in
    /// the same transaction, so the stored state carries none and the caller can let them go once this returns.
    /// </summary>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is not TaskState task)
        {
            throw new InvalidOperationException($"{nameof(TaskStateStorage)} stores {nameof(TaskState)} only, not {typeof(T).Name} ({grainId}).");
        }

        if (grainId.TryGetIntegerKey(out _, out _) || grainId.TryGetGuidKey(out _, out _) || stateName.Contains('`'))
        {
            // The provider keys those rows differently (n0, n1, the extension; a generic type's name rewritten).
            throw new InvalidOperationException($"{nameof(TaskStateStorage)} stores string-keyed grains' states of a plain name only, not '{stateName}' of {grainId}.");
        }

        var key = grainId.Key.ToString()!;
        if (task.TaskId != key)
        {
            throw new InvalidOperationException($"Task grain {key} holds the state of task '{task.TaskId}'.");
        }

        // As the provider does it: the hasher it picks, over the key's UTF-8 bytes in reverse and the state name's.
        var hasher = options.HashPicker.PickHasher(serviceId, providerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException($"The grain storage's hash picker has no hasher for {grainId}.");
        var keyBytes = Encoding.UTF8.GetBytes(key);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(keyBytes);
        }

        var row = new TaskStateRow(
            key,
            hasher.Hash(keyBytes),
            hasher.Hash(Encoding.UTF8.GetBytes(stateName)),
            stateName,
            serviceId,
            grainState.ETag is { Length: > 0 } etag ? int.Parse(etag, CultureInfo.InvariantCulture) : null,
            options.GrainStorageSerializer.Serialize(task with { UnsyncedTransitions = [] }).ToArray());
        var version = await writer.WriteAsync(task, task.UnsyncedTransitions, row);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }
}
