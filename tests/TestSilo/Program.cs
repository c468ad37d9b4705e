using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Grains.Steps;
using Pipeline.Silo.Hosting;
using Pipeline.TestSilo;

await SiloHost.Build(args, services => services.Replace(ServiceDescriptor.Singleton<IStepExecutor, ScriptedStepExecutor>()))
    .RunAsync();
