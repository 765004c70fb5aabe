using System.Security.Cryptography;
using System.Text;
using Twin.Observability.Alerts.Channels;
using Xunit;

namespace Twin.Observability.Tests.Alerts.Channels;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"ntf_01\",\"type\":\"alert.firing\"}");

    private static Dictionary<string, string> Headers(string? secret) =>
        WebhookSignature.Headers(secret, "ntf_01", 1_700_000_000, Body).ToDictionary(h => h.Key, h => h.Value);

    [Fact]
    public void A_plain_secret_signs_both_headers_with_its_utf8_bytes()
    {
        var headers = Headers("s3cr3t-ü");

        Assert.Equal("ntf_01", headers["webhook-id"]);
        Assert.Equal("1700000000", headers["webhook-timestamp"]);
        Assert.True(IndependentWebhookVerifier.StandardValid("s3cr3t-ü", "ntf_01", "1700000000", Body, headers["webhook-signature"]));
        Assert.True(IndependentWebhookVerifier.AliasValid("s3cr3t-ü", Body, headers["X-Twin-Signature"], out var t));
        Assert.Equal("1700000000", t);
        Assert.StartsWith("v1,", headers["webhook-signature"], StringComparison.Ordinal);
        Assert.Matches("^t=1700000000,v1=[0-9a-f]{64}$", headers["X-Twin-Signature"]);
    }

    [Fact]
    public void A_whsec_secret_signs_with_its_base64_decoded_key()
    {
        var key = RandomNumberGenerator.GetBytes(24);
        var secret = "whsec_" + Convert.ToBase64String(key);

        var headers = Headers(secret);

        // Known answer computed here, from the decoded key, not the secret's text.
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes("ntf_01.1700000000."), .. Body]));
        Assert.Equal(expected, headers["webhook-signature"]);
        Assert.True(IndependentWebhookVerifier.AliasValid(secret, Body, headers["X-Twin-Signature"], out _));
        // The secret's own text is not the key.
        Assert.NotEqual("v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes("ntf_01.1700000000."), .. Body])), headers["webhook-signature"]);
    }

    [Fact]
    public void A_changed_body_or_another_secret_fails_verification()
    {
        var headers = Headers("s3cr3t");
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;

        Assert.False(IndependentWebhookVerifier.StandardValid("s3cr3t", "ntf_01", "1700000000", tampered, headers["webhook-signature"]));
        Assert.False(IndependentWebhookVerifier.StandardValid("other", "ntf_01", "1700000000", Body, headers["webhook-signature"]));
        Assert.False(IndependentWebhookVerifier.StandardValid("s3cr3t", "ntf_02", "1700000000", Body, headers["webhook-signature"]));
        Assert.False(IndependentWebhookVerifier.AliasValid("s3cr3t", tampered, headers["X-Twin-Signature"], out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_secret_there_is_an_id_and_timestamp_but_no_signature(string? secret)
    {
        var headers = Headers(secret);

        Assert.Equal(["webhook-id", "webhook-timestamp"], headers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_whsec_secret_that_is_not_base64_is_refused() =>
        Assert.Throws<FormatException>(() => Headers("whsec_not base64!"));
}
