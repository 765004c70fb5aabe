using Microsoft.Extensions.Configuration;
using Twin.Observability.Security;
using Xunit;

namespace Twin.Observability.Tests.Security;

public sealed class ConfiguredSecretsTests
{
    private static IReadOnlyList<string> Read(Dictionary<string, string?> settings) =>
        ConfiguredSecrets.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Settings_named_like_secrets_are_secrets_and_others_are_not()
    {
        var secrets = Read(new()
        {
            ["Llm:ApiKey"] = "llm-api-key-value",
            ["Auth:Jwt:ClientSecret"] = "client-secret-value",
            ["Db:Password"] = "db-password-value",
            ["LocalHost:MasterKey"] = "master-key-value",
            ["Feature:AccessToken"] = "access-token-value",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000",
            ["Llm:Model"] = "gpt-4o-mini-2024",
            ["Auth:ApiKeys:0:Name"] = "local-admin-holder",
            ["Chat:MaxTokensKey"] = "12345678",
        });

        Assert.Contains("llm-api-key-value", secrets);
        Assert.Contains("client-secret-value", secrets);
        Assert.Contains("db-password-value", secrets);
        Assert.Contains("master-key-value", secrets);
        Assert.Contains("access-token-value", secrets);
        Assert.Contains("InstrumentationKey=00000000-0000", secrets);
        Assert.DoesNotContain("gpt-4o-mini-2024", secrets);
        Assert.DoesNotContain("local-admin-holder", secrets);
        Assert.DoesNotContain("12345678", secrets);
    }

    [Fact]
    public void The_keys_of_any_connection_string_are_secrets()
    {
        var secrets = Read(new()
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c3RvcmFnZS1rZXk=;EndpointSuffix=core.windows.net",
            ["Bus"] = "Endpoint=sb://bus/;SharedAccessKeyName=root;SharedAccessKey=bus-shared-key",
        });

        Assert.Contains("c3RvcmFnZS1rZXk=", secrets);
        Assert.Contains("bus-shared-key", secrets);
        Assert.DoesNotContain("acct", secrets);
    }

    [Fact]
    public void The_langfuse_pair_is_a_secret_in_plain_and_base64_form_only_when_configured()
    {
        var secrets = Read(new() { ["Langfuse:PublicKey"] = "pk-lf-one", ["Langfuse:SecretKey"] = "sk-lf-two" });

        Assert.Contains("pk-lf-one:sk-lf-two", secrets);
        Assert.Contains(Convert.ToBase64String("pk-lf-one:sk-lf-two"u8.ToArray()), secrets);
        Assert.Empty(Read(new() { ["Langfuse:PublicKey"] = "" }));
    }
}
