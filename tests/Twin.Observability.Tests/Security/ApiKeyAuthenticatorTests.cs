using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Security;
using Xunit;

namespace Twin.Observability.Tests.Security;

public sealed class ApiKeyAuthenticatorTests
{
    private static ApiKeyAuthenticator Create(params ApiKeyOptions[] keys) =>
        new(Options.Create(new AuthOptions { ApiKeys = [.. keys] }));

    [Fact]
    public void A_configured_key_authenticates_as_its_holder_and_role()
    {
        var authenticator = Create(
            new ApiKeyOptions { Name = "ops", Hash = ApiKeyHash.Compute("admin-secret"), Role = ApiKeyRole.Admin },
            new ApiKeyOptions { Name = "app", Hash = ApiKeyHash.Compute("user-secret"), Role = ApiKeyRole.User, UserId = "u-1" });

        Assert.Equal(new Caller("ops", ApiKeyRole.Admin, null), authenticator.Authenticate("admin-secret"));
        Assert.Equal(new Caller("app", ApiKeyRole.User, "u-1"), authenticator.Authenticate("user-secret"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("admin-secreT")]
    [InlineData("admin-secret ")]
    public void Anything_but_the_exact_key_is_refused(string? presented)
    {
        var authenticator = Create(new ApiKeyOptions { Name = "ops", Hash = ApiKeyHash.Compute("admin-secret"), Role = ApiKeyRole.Admin });

        Assert.Null(authenticator.Authenticate(presented));
    }

    [Fact]
    public void The_hash_is_sha256_hex_of_the_key()
    {
        // Known answer: SHA-256("abc").
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.Compute("abc"));
    }

    [Fact]
    public void Options_validation_names_every_bad_key()
    {
        var options = new AuthOptions
        {
            ApiKeys =
            [
                new ApiKeyOptions { Name = "", Hash = "sha256:zz" },
                new ApiKeyOptions { Name = "u", Hash = ApiKeyHash.Compute("k"), Role = ApiKeyRole.User },
                new ApiKeyOptions { Name = "u", Hash = ApiKeyHash.Compute("k2") },
            ],
        };

        var messages = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();

        Assert.Contains(messages, m => m!.Contains("ApiKeys:0:Name", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("ApiKeys:0:Hash", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("ApiKeys:1:UserId", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("more than one key named 'u'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_configured_without_a_role_refuses_start_up_naming_the_key()
    {
        // A forgotten Role must not make a key an admin key: the app does not start until the key says what it is.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Auth:ApiKeys:0:Name"] = "mobile-app",
            ["Auth:ApiKeys:0:UserId"] = "u-1",
            ["Auth:ApiKeys:0:Hash"] = ApiKeyHash.Compute("user-secret"),
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Twin.Testing.TestHostEnvironment())
            .AddTwinObservability(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuthOptions>>().Value);

        Assert.Contains("'mobile-app'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Role is required", error.Message, StringComparison.Ordinal);
    }
}
