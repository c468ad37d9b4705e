using Microsoft.Extensions.Configuration;
using Pipeline.ApiGateway.Admin;

namespace Pipeline.Tests.Gateway;

public class AdminTokenTests
{
    private const string Secret = "s3cret-token-0123456789";

    [Fact]
    public void Matches_only_the_exact_token()
    {
        var token = new AdminToken(Secret);

        Assert.True(token.Matches(Secret));
        Assert.False(token.Matches(null));
        Assert.False(token.Matches(""));
        Assert.False(token.Matches(Secret.ToUpperInvariant()));
        Assert.False(token.Matches(Secret[..^1]));
        Assert.False(token.Matches(Secret + "x"));
        Assert.False(token.Matches(" " + Secret));
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc", "abc")]
    [InlineData("BEARER   abc  ", "abc")]
    [InlineData("Basic abc", null)]
    [InlineData("Bearer", null)]
    [InlineData("Bearer    ", null)]
    [InlineData("abc", null)]
    [InlineData("", null)]
    public void Reads_the_token_of_a_bearer_header(string header, string? expected)
    {
        Assert.Equal(expected, AdminToken.FromAuthorizationHeader([header]));
    }

    [Fact]
    public void A_missing_or_repeated_authorization_header_carries_no_token()
    {
        Assert.Null(AdminToken.FromAuthorizationHeader([]));
        Assert.Null(AdminToken.FromAuthorizationHeader(["Bearer a", "Bearer b"]));
    }

    [Fact]
    public void Startup_fails_with_a_message_naming_the_setting_when_the_token_is_missing()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AdminToken.FromConfiguration(Configuration(null)));
        Assert.Contains("PIPELINE_ADMIN_TOKEN is not set", e.Message);

        e = Assert.Throws<InvalidOperationException>(() => AdminToken.FromConfiguration(Configuration("   ")));
        Assert.Contains("PIPELINE_ADMIN_TOKEN is not set", e.Message);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in it, long enough")]
    public void Startup_fails_for_a_weak_or_malformed_token(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => AdminToken.FromConfiguration(Configuration(value)));
        Assert.Contains("PIPELINE_ADMIN_TOKEN must be at least", e.Message);
    }

    [Fact]
    public void A_configured_token_loses_the_newline_a_file_gives_it()
    {
        var token = AdminToken.FromConfiguration(Configuration(Secret + "\n"));

        Assert.True(token.Matches(Secret));
    }

    private static IConfiguration Configuration(string? token) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [AdminToken.SettingName] = token })
            .Build();
}
