using Twin.Observability.Alerts;
using Xunit;
using static Twin.Observability.Tests.Alerts.Rules.AlertTestSupport;

namespace Twin.Observability.Tests.Alerts.Rules;

public sealed class AlertSecretProtectorTests
{
    private static StoredAlertChannel Channel(string? cipher = null, string? setting = null) => new("webhook", "https://example.com/hook", cipher, setting);

    [Theory]
    [InlineData("s3cret")]
    [InlineData("ünïcødé ✓ and a long tail of characters to span more than one AES block")]
    public void Round_trips(string secret)
    {
        var protector = Protector(KeyA);

        var cipher = protector.Protect(secret);

        Assert.True(protector.CanEncrypt);
        Assert.StartsWith("v1.", cipher);
        Assert.DoesNotContain(secret, cipher);
        Assert.Equal(secret, protector.Reveal(Channel(cipher)));
    }

    [Fact]
    public void Two_encryptions_of_one_secret_differ()
    {
        var protector = Protector(KeyA);

        var first = protector.Protect("s3cret");
        var second = protector.Protect("s3cret");

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('.')[1], second.Split('.')[1]);
        Assert.Equal("s3cret", protector.Reveal(Channel(second)));
    }

    [Fact]
    public void A_cipher_of_another_key_does_not_decrypt()
    {
        var cipher = Protector(KeyA).Protect("s3cret");

        var ex = Assert.Throws<InvalidOperationException>(() => Protector(KeyB).Reveal(Channel(cipher)));
        Assert.Contains("Alerts:SecretKey", ex.Message);
    }

    [Fact]
    public void A_tampered_cipher_does_not_decrypt()
    {
        var parts = Protector(KeyA).Protect("s3cret").Split('.');
        var body = parts[3].ToCharArray();
        body[0] = body[0] == 'A' ? 'B' : 'A';
        parts[3] = new string(body);

        Assert.Throws<InvalidOperationException>(() => Protector(KeyA).Reveal(Channel(string.Join('.', parts))));
    }

    [Fact]
    public void Without_a_key_nothing_is_encrypted_or_decrypted()
    {
        var cipher = Protector(KeyA).Protect("s3cret");
        var keyless = Protector(null);

        Assert.False(keyless.CanEncrypt);
        Assert.Throws<InvalidOperationException>(() => keyless.Protect("s3cret"));
        Assert.Throws<InvalidOperationException>(() => keyless.Reveal(Channel(cipher)));
    }

    [Fact]
    public void An_unknown_format_is_refused()
    {
        Assert.Throws<FormatException>(() => Protector(KeyA).Reveal(Channel("v2.a.b.c")));
    }

    [Fact]
    public void A_secret_setting_is_read_from_configuration()
    {
        var protector = Protector(null, new Dictionary<string, string?> { ["HOOK_SECRET"] = "from-settings" });

        Assert.Equal("from-settings", protector.Reveal(Channel(setting: "HOOK_SECRET")));
    }

    [Theory]
    [InlineData("MISSING_SECRET")]
    [InlineData("EMPTY_SECRET")]
    public void A_missing_or_empty_secret_setting_throws_naming_it(string setting)
    {
        var protector = Protector(null, new Dictionary<string, string?> { ["EMPTY_SECRET"] = "" });

        var ex = Assert.Throws<InvalidOperationException>(() => protector.Reveal(Channel(setting: setting)));
        Assert.Contains(setting, ex.Message);
    }

    [Fact]
    public void A_channel_without_a_secret_reveals_null()
    {
        Assert.Null(Protector(KeyA).Reveal(Channel()));
    }

    [Fact]
    public void Secret_key_must_be_32_bytes_of_base64()
    {
        Assert.True(new AlertsOptions { SecretKey = KeyA }.HasValidSecretKey());
        Assert.True(new AlertsOptions { SecretKey = null }.HasValidSecretKey());
        Assert.True(new AlertsOptions { SecretKey = "" }.HasValidSecretKey());
        Assert.False(new AlertsOptions { SecretKey = Convert.ToBase64String(new byte[16]) }.HasValidSecretKey());
        Assert.False(new AlertsOptions { SecretKey = Convert.ToBase64String(new byte[33]) }.HasValidSecretKey());
        Assert.False(new AlertsOptions { SecretKey = Convert.ToBase64String(new byte[96]) }.HasValidSecretKey());
        Assert.False(new AlertsOptions { SecretKey = "not base64 at all!" }.HasValidSecretKey());
    }
}
