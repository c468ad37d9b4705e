using Microsoft.Extensions.Configuration;
using Pipeline.Grains.Steps;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Jobs;

public sealed class JobRunnerOptionsTests
{
    [Fact]
    public void Without_configuration_the_scripts_are_those_of_the_checkout()
    {
        var options = JobRunnerOptions.From(new ConfigurationBuilder().Build());

        Assert.Equal(Path.Combine(Repo.Root, "scripts"), options.ScriptsDirectory);
        Assert.Equal(64 * 1024, options.MaxCapturedBytes);
    }

    [Fact]
    public void PIPELINE_SCRIPTS_names_the_directory_and_a_relative_one_is_made_absolute()
    {
        var absolute = JobRunnerOptions.From(Configuration("/opt/pipeline/scripts"));
        Assert.Equal("/opt/pipeline/scripts", absolute.ScriptsDirectory);

        var relative = JobRunnerOptions.From(Configuration("my-scripts"));
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "my-scripts"), relative.ScriptsDirectory);
    }

    private static IConfiguration Configuration(string scripts) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PIPELINE_SCRIPTS"] = scripts }).Build();
}
