using System.Text.Json;
using Orleans.Storage;

namespace Pipeline.Silo.Hosting;

/// <summary>
/// Grain state as plain JSON of its declared type (System.Text.Json): readable with psql, free of
/// .NET type names (so a state type may be renamed or moved, and a list built by a collection
/// expression reads back as a list), and much cheaper per write than Orleans' Newtonsoft default,
/// which every task transition pays.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        input.ToObjectFromJson<T>(Options) ?? throw new JsonException($"The stored {typeof(T).Name} is JSON null.");
}
