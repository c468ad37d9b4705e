using System.Text;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Notion;

/// <summary>X-Notion-Signature: computed as Notion does (checked against the fake's own HMAC), refused in every malformed shape.</summary>
public sealed class NotionWebhookSignatureTests
{
    private const string Key = "secret_verification_token_4f2a";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"e1","type":"page.properties_updated","entity":{"id":"p1","type":"page"}}""");

    [Fact]
    public void The_signature_is_sha256_hex_of_the_raw_body_keyed_by_the_token()
    {
        var signature = NotionWebhookSignature.Compute(Body, Key);

        Assert.Equal(FakeNotion.Sign(Body, Key), signature);
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.True(NotionWebhookSignature.IsValid(Body, signature, Key));
    }

    [Fact]
    public void Upper_case_hex_and_surrounding_spaces_are_still_the_same_signature()
    {
        var hex = FakeNotion.Sign(Body, Key)["sha256=".Length..];

        Assert.True(NotionWebhookSignature.IsValid(Body, "sha256=" + hex.ToUpperInvariant(), Key));
        Assert.True(NotionWebhookSignature.IsValid(Body, $"  sha256={hex} ", Key));
    }

    [Fact]
    public void A_changed_body_or_another_key_does_not_verify()
    {
        var signature = FakeNotion.Sign(Body, Key);
        var changed = (byte[])Body.Clone();
        changed[^2] ^= 1;

        Assert.False(NotionWebhookSignature.IsValid(changed, signature, Key));
        Assert.False(NotionWebhookSignature.IsValid(Body, signature, Key + "x"));
        Assert.False(NotionWebhookSignature.IsValid(Body, FakeNotion.Sign(Body, "secret_unconfirmed_token"), Key));
        // Re-serialised JSON is other bytes: only the raw body verifies.
        Assert.False(NotionWebhookSignature.IsValid(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace(":", ": ", StringComparison.Ordinal)), signature, Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sha256=")]
    [InlineData("sha256")]
    [InlineData("sha1=da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("md5=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00")]
    [InlineData("sha256=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,sha256=00")]
    [InlineData("sha256=\u00e90123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    public void A_missing_or_malformed_header_is_refused_without_throwing(string? header)
    {
        Assert.False(NotionWebhookSignature.IsValid(Body, header, Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_confirmed_token_nothing_verifies(string? key)
    {
        Assert.False(NotionWebhookSignature.IsValid(Body, FakeNotion.Sign(Body, Key), key));
    }

    [Fact]
    public void An_empty_body_has_a_signature_too()
    {
        Assert.True(NotionWebhookSignature.IsValid([], FakeNotion.Sign([], Key), Key));
    }
}
