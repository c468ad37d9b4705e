using Orleans.Providers;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.TestSilo;

public sealed class LegacyTaskStateGrain([FromKeyedServices(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)] IGrainStorage storage)
    : Grain, ILegacyTaskStateGrain
{
    // The task grain's own grain id and state name, as its IPersistentState<TaskState> used them.
    public Task Write(TaskState state) =>
        storage.WriteStateAsync("task", GrainId.Create("task", state.TaskId), new GrainState<TaskState>(state));
}
