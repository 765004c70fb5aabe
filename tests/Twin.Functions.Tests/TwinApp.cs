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
            // The apps of a test process share its Azurite account and so its "evaluations" queue: only the evaluation
            // tests (each in an account of its own) queue and consume evaluations; the others would judge each other's chats.
            ["Chat:Evaluate"] = "false",
            ["AzureWebJobs.EvaluateChat.Disabled"] = "true",
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
