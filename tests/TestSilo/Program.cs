using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Grains.Steps;
using Pipeline.Silo.Hosting;
using Pipeline.TestSilo;

// Workflow tests script each step's outcome; PIPELINE_STEP_EXECUTOR=scripts runs the real step scripts instead, =simulated the simulated provider calls.
var scripted = Environment.GetEnvironmentVariable("PIPELINE_STEP_EXECUTOR") is not ("scripts" or "simulated");
await SiloHost.Build(args, services =>
    {
        // Tests about jobs from several silos need grains on each; the default placement weighs load and may not spread them.
        if (Environment.GetEnvironmentVariable("PIPELINE_TEST_PLACEMENT") == "random")
        {
            services.AddSingleton<PlacementStrategy, RandomPlacement>();
        }

        if (scripted)
        {
            services.Replace(ServiceDescriptor.Singleton<IStepExecutor, ScriptedStepExecutor>());
            // The real upload step, for the scripted executor's uploads when a test asks for them.
            services.TryAddSingleton<ScriptStepExecutor>();
        }
    })
    .RunAsync();
