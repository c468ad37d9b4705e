using Pipeline.Silo.Hosting;

await SiloHost.Build(args).RunAsync();
