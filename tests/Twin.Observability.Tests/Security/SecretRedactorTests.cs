using Microsoft.Extensions.Configuration;
using Twin.Observability.Security;
using Xunit;

namespace Twin.Observability.Tests.Security;

public sealed class SecretRedactorTests
{
    private const string Mask = SecretRedactor.Mask;
    private static readonly SecretRedactor Patterns = new([]);

    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi_jkl", "Authorization: Bearer " + Mask)]
    [InlineData("authorization=Basic cGs6c2s=", "authorization=Basic " + Mask)]
    [InlineData("{\"authorization\":\"Basic cGs6c2s=\"}", "{\"authorization\":\"Basic " + Mask + "\"}")]
    [InlineData("{\\\"Authorization\\\":\\\"xyz\\\"}", "{\\\"Authorization\\\":\\\"" + Mask + "\\\"}")]
    [InlineData("api-key: 0123456789abcdef", "api-key: " + Mask)]
    [InlineData("X-Api-Key=short", "X-Api-Key=" + Mask)]
    [InlineData("Ocp-Apim-Subscription-Key: 00112233", "Ocp-Apim-Subscription-Key: " + Mask)]
    public void Credential_header_values_are_masked_and_their_scheme_kept(string text, string expected) =>
        Assert.Equal(expected, Patterns.Redact(text));

    [Theory]
    [InlineData("got bearer eyJhbGciOi.x-y_z token", "got bearer " + Mask + " token")]
    [InlineData("credential Basic cGstbGYtMTIzOnNrLWxmLTQ1Ng== refused", "credential Basic " + Mask + " refused")]
    public void Bearer_and_basic_credentials_are_masked_anywhere(string text, string expected) =>
        Assert.Equal(expected, Patterns.Redact(text));

    [Theory]
    [InlineData("key sk-abcdefgh12345678 was wrong", "key " + Mask + " was wrong")]
    [InlineData("sk-proj-AbCdEf_123-456", Mask)]
    [InlineData("pair pk-lf-1234abcd and sk-lf-5678efgh.", "pair " + Mask + " and " + Mask + ".")]
    public void Openai_and_langfuse_keys_are_masked(string text, string expected) =>
        Assert.Equal(expected, Patterns.Redact(text));

    [Fact]
    public void Jwts_are_masked()
    {
        var jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        Assert.Equal($"token {Mask} expired", Patterns.Redact($"token {jwt} expired"));
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Zm9vYmFy+/==;EndpointSuffix=core.windows.net", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + Mask + ";EndpointSuffix=core.windows.net")]
    [InlineData("Endpoint=sb://x/;SharedAccessKeyName=root;SharedAccessKey=abc123", "Endpoint=sb://x/;SharedAccessKeyName=root;SharedAccessKey=" + Mask)]
    [InlineData("https://a.blob.core.windows.net/c?sv=2024&sig=AbC%2Bdef&se=1", "https://a.blob.core.windows.net/c?sv=2024&sig=" + Mask + "&se=1")]
    public void Connection_string_keys_and_sas_signatures_are_masked(string text, string expected) =>
        Assert.Equal(expected, Patterns.Redact(text));

    [Theory]
    [InlineData("Authorization failed: the credentials were refused.")]
    [InlineData("Basic authentication is required; send a bearer token.")]
    [InlineData("task-12345678 and disk-abcdefghij are fine")]
    [InlineData("Langfuse answered 500 for the score 'relevance'")]
    [InlineData("HTTP 502 (server_error: bad_gateway)")]
    public void Ordinary_text_is_left_alone(string text) =>
        Assert.Equal(text, Patterns.Redact(text));

    [Fact]
    public void Configured_values_are_masked_wherever_they_appear()
    {
        var redactor = new SecretRedactor(["my-llm-key-0123", "hunter2hunter2"]);

        Assert.Equal($"echo {Mask}/{Mask}!", redactor.Redact("echo my-llm-key-0123/hunter2hunter2!"));
    }

    [Fact]
    public void A_secret_that_contains_another_is_masked_whole()
    {
        var redactor = new SecretRedactor(["public-12345", "secret-67890", "public-12345:secret-67890"]);

        Assert.Equal($"pair {Mask}, alone {Mask}", redactor.Redact("pair public-12345:secret-67890, alone secret-67890"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a")]
    [InlineData("1234567")]
    public void Empty_and_short_configured_values_mask_nothing(string value)
    {
        var redactor = new SecretRedactor([value, null]);

        Assert.Equal("a 1234567 b", redactor.Redact("a 1234567 b"));
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more_and_null_stays_null()
    {
        var redactor = new SecretRedactor(["configured-secret"]);
        var once = redactor.Redact("Authorization: Bearer configured-secret");

        Assert.Equal("Authorization: Bearer " + Mask, once);
        Assert.Equal(once, redactor.Redact(once));
        Assert.Null(redactor.Redact(null));
    }

    [Fact]
    public void From_configuration_masks_the_llm_key_the_langfuse_keys_and_their_basic_pair()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:ApiKey"] = "ollama-local-key",
            ["LANGFUSE_PUBLIC_KEY"] = "lf-public-0001",
            ["LANGFUSE_SECRET_KEY"] = "lf-secret-0002",
        }).Build();
        var redactor = SecretRedactor.FromConfiguration(configuration);
        var basic = Convert.ToBase64String("lf-public-0001:lf-secret-0002"u8.ToArray());

        var text = redactor.Redact($"ollama-local-key lf-public-0001 lf-secret-0002 {basic} lf-public-0001:lf-secret-0002 {Uri.EscapeDataString(basic)}");

        Assert.Equal(string.Join(' ', Enumerable.Repeat(Mask, 6)), text);
    }
}
