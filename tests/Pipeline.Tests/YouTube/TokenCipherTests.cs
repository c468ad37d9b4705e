using System.Text;
using Microsoft.Extensions.Configuration;
using Pipeline.Grains.YouTube;

namespace Pipeline.Tests.YouTube;

/// <summary>Refresh tokens at rest: AES-GCM, bound to their channel, readable across a key rotation.</summary>
public sealed class TokenCipherTests
{
    private const string Token = "1//0gRefreshTokenOfTheChannel-abcdefghijklmnopqrstuvwxyz0123456789";

    [Fact]
    public void A_token_decrypts_to_itself_for_its_channel_and_each_encryption_differs()
    {
        var cipher = new TokenCipher(new EncryptionKeys(EncryptionKey.Generate()));

        var first = cipher.Encrypt(Token, "wild-africa");
        var second = cipher.Encrypt(Token, "wild-africa");

        Assert.Equal(Token, cipher.Decrypt(first, "wild-africa"));
        Assert.Equal(Token, cipher.Decrypt(second, "wild-africa"));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_ciphertext_holds_no_trace_of_the_token()
    {
        var cipher = new TokenCipher(new EncryptionKeys(EncryptionKey.Generate()));

        var stored = cipher.Encrypt(Token, "wild-africa");
        var bytes = Convert.FromBase64String(stored);

        Assert.DoesNotContain(Token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Token)), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[..16], Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Any_altered_byte_is_refused()
    {
        var cipher = new TokenCipher(new EncryptionKeys(EncryptionKey.Generate()));
        var bytes = Convert.FromBase64String(cipher.Encrypt(Token, "wild-africa"));

        // The key id (bytes 1-4) gets its own message; every other byte must fail authentication.
        foreach (var index in new[] { 5, 10, 17, 20, 33, bytes.Length - 1 })
        {
            var altered = (byte[])bytes.Clone();
            altered[index] ^= 0x01;
            var e = Assert.Throws<TokenCipherException>(() => cipher.Decrypt(Convert.ToBase64String(altered), "wild-africa"));
            Assert.Contains("altered", e.Message);
        }

        Assert.Throws<TokenCipherException>(() => cipher.Decrypt(Convert.ToBase64String(bytes[..^1]), "wild-africa"));
        Assert.Throws<TokenCipherException>(() => cipher.Decrypt("not base64 at all!", "wild-africa"));
    }

    [Fact]
    public void A_token_copied_to_another_channel_does_not_decrypt()
    {
        var cipher = new TokenCipher(new EncryptionKeys(EncryptionKey.Generate()));
        var stored = cipher.Encrypt(Token, "wild-africa");

        var e = Assert.Throws<TokenCipherException>(() => cipher.Decrypt(stored, "northern-forests"));

        Assert.Contains("another channel", e.Message);
        Assert.DoesNotContain(Token, e.Message);
    }

    [Fact]
    public void After_a_rotation_the_previous_key_still_decrypts_and_re_encryption_moves_to_the_new_key()
    {
        var oldKey = EncryptionKey.Generate();
        var newKey = EncryptionKey.Generate();
        var stored = new TokenCipher(new EncryptionKeys(oldKey)).Encrypt(Token, "wild-africa");

        var rotating = new TokenCipher(new EncryptionKeys(newKey, previous: oldKey));
        Assert.True(rotating.NeedsReEncryption(stored));
        Assert.Equal(Token, rotating.Decrypt(stored, "wild-africa"));

        var moved = rotating.ReEncrypt(stored, "wild-africa");
        Assert.False(rotating.NeedsReEncryption(moved));

        // Once every token is moved, the old key can go.
        var rotated = new TokenCipher(new EncryptionKeys(newKey));
        Assert.Equal(Token, rotated.Decrypt(moved, "wild-africa"));
        var e = Assert.Throws<TokenCipherException>(() => rotated.Decrypt(stored, "wild-africa"));
        Assert.Contains(oldKey.IdText, e.Message);
        Assert.Contains("PIPELINE_ENCRYPTION_KEY_PREVIOUS (not set)", e.Message);
    }

    [Theory]
    [InlineData(null, "PIPELINE_ENCRYPTION_KEY is not set")]
    [InlineData("", "PIPELINE_ENCRYPTION_KEY is not set")]
    [InlineData("%%%not-base64%%%", "PIPELINE_ENCRYPTION_KEY is not valid base64")]
    [InlineData("c2hvcnQ=", "PIPELINE_ENCRYPTION_KEY must be 32 bytes once base64-decoded; it is 5")]
    public void An_unusable_key_is_refused_naming_the_setting(string? value, string message)
    {
        var e = Assert.Throws<InvalidOperationException>(() => TokenCipher.FromConfiguration(Configuration(value, null)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Keys_are_read_from_the_environment_names_and_the_previous_one_must_differ()
    {
        var current = EncryptionKey.Generate();
        var previous = EncryptionKey.Generate();
        var stored = new TokenCipher(new EncryptionKeys(previous)).Encrypt(Token, "c");

        var cipher = TokenCipher.FromConfiguration(Configuration(current.ToBase64(), previous.ToBase64()));
        Assert.Equal(Token, cipher.Decrypt(stored, "c"));

        var e = Assert.Throws<InvalidOperationException>(() => TokenCipher.FromConfiguration(Configuration(current.ToBase64(), current.ToBase64())));
        Assert.Contains("PIPELINE_ENCRYPTION_KEY_PREVIOUS is the same key", e.Message);
        var bad = Assert.Throws<InvalidOperationException>(() => TokenCipher.FromConfiguration(Configuration(current.ToBase64(), "c2hvcnQ=")));
        Assert.Contains("PIPELINE_ENCRYPTION_KEY_PREVIOUS must be 32 bytes", bad.Message);
    }

    [Fact]
    public void A_key_never_prints_itself()
    {
        var key = EncryptionKey.Generate();
        Assert.DoesNotContain(key.ToBase64(), key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.ToBase64(), new EncryptionKeys(key).ToString(), StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string? key, string? previous) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PIPELINE_ENCRYPTION_KEY"] = key,
            ["PIPELINE_ENCRYPTION_KEY_PREVIOUS"] = previous,
        })
        .Build();
}
