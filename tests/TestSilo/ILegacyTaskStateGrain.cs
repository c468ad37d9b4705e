using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.TestSilo;

/// <summary>Stores a task's state the way task grains did before sql/007: through the silo's default (ADO.NET) storage.</summary>
public interface ILegacyTaskStateGrain : IGrainWithIntegerKey
{
    Task Write(TaskState state);
}
