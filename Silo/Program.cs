using Pipeline.Silo.Hosting;
using Pipeline.Silo.Schema;

if (args is ["migrate", .. var migrateArgs])
{
    return await MigrateCommand.RunAsync(migrateArgs);
}

await SiloHost.Build(args).RunAsync();
return 0;
