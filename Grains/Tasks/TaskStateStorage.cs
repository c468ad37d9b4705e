using System.Globalization;
using Npgsql;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// Grain storage for task grains (<c>task_state</c>): every write goes with the task's read-model rows in one
/// transaction, batched with other tasks' writes by <see cref="TaskStateWriter"/>. That is what lets the
/// workflow persist thousands of transitions a second, each with its state, history and row.
/// (Tasks stored before by the ADO.NET provider were copied here by sql/007.)
/// </summary>
public sealed class TaskStateStorage(
    NpgsqlDataSource dataSource,
    TaskStateWriter writer,
    IGrainStorageSerializer serializer) : IGrainStorage
{
    /// <summary>The storage name task grains ask for.</summary>
    public const string Name = "tasks";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var command = dataSource.CreateCommand("SELECT version, payload FROM task_state WHERE task_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = TaskId(grainId) });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return;
        }

        grainState.ETag = reader.GetInt32(0).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = !reader.IsDBNull(1);
        if (grainState.RecordExists)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(reader.GetFieldValue<byte[]>(1)));
        }
    }

    /// <summary>
    /// Stores the state without its unsynced transitions: they are written to <c>task_transitions</c> in the same
    /// transaction, so once this returns the caller can let them go.
    /// </summary>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is not TaskState task)
        {
            throw new InvalidOperationException($"{nameof(TaskStateStorage)} stores {nameof(TaskState)} only, not {typeof(T).Name} ({grainId}).");
        }

        var payload = serializer.Serialize(task with { UnsyncedTransitions = [] }).ToArray();
        var expected = grainState.ETag is { } etag ? int.Parse(etag, CultureInfo.InvariantCulture) : (int?)null;
        var version = await writer.WriteAsync(task, payload, expected);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is null)
        {
            grainState.RecordExists = false;
            return;
        }

        await using var command = dataSource.CreateCommand(
            "UPDATE task_state SET payload = NULL, version = version + 1, updated_at = now() WHERE task_id = $1 AND version = $2 RETURNING version");
        command.Parameters.Add(new NpgsqlParameter { Value = TaskId(grainId) });
        command.Parameters.Add(new NpgsqlParameter { Value = int.Parse(grainState.ETag, CultureInfo.InvariantCulture) });
        if (await command.ExecuteScalarAsync() is not int version)
        {
            throw new InconsistentStateException($"Version conflict (ClearState): task {TaskId(grainId)} is no longer at version {grainState.ETag}",
                storedEtag: null, currentEtag: grainState.ETag);
        }

        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static string TaskId(GrainId grainId) => grainId.Key.ToString()!;
}
