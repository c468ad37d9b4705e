namespace Pipeline.Tests.Scripts;

public sealed class ScriptHelpTests
{
    public static TheoryData<string> Scripts => new(StepScript.All);

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Every_script_is_executable_and_prints_its_usage_for_help(string script)
    {
        var result = (await StepScript.RunAsync(script, "--help")).Expect(0);

        Assert.StartsWith($"usage: {script}", result.Stdout);
        Assert.Contains("--output", result.Stdout);
        Assert.Contains("Exit codes", result.Stdout);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Missing_arguments_are_bad_input_with_a_result_line(string script)
    {
        var result = (await StepScript.RunAsync(script)).Expect(2);

        Assert.Contains("required: --", result.Error);
        Assert.Equal(0, result.Cost);
    }
}
