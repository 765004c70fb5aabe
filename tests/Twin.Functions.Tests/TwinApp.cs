using Twin.Functions;
using Twin.LocalHost;
using Twin.Testing;

namespace Twin.Functions.Tests;

/// <summary>The real Functions app, run by the local host with test settings.</summary>
public static class TwinApp
{
    public static LocalFunctionsApp Definition { get; } =
        new(typeof(TwinFunctionsApp).Assembly, (services, configuration) => services.AddTwinFunctionsApp(configuration));

    public static IReadOnlyDictionary<string, string?> Settings(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(TestKeys.Settings.Concat(TestJwt.Settings))
        {
            ["AzureWebJobsStorage"] = AzuriteFixture.ConnectionString,
            ["Twins:SeedDemoTwin"] = "true",
            ["Langfuse:PublicKey"] = "",
            ["Langfuse:SecretKey"] = "",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<LocalHostServer> StartAsync(params (string Key, string? Value)[] overrides) =>
        LocalHostServer.StartAsync(Definition, Settings(overrides));
}
