using Twin.Functions;
using Twin.LocalHost;
using Twin.Testing;

namespace Twin.Functions.Tests;

/// <summary>The real Functions app, run by the local host with test settings.</summary>
public static class TwinApp
{
    public static LocalFunctionsApp Definition { get; } = LocalFunctionsApp.Built("Twin.Functions");

    public static IReadOnlyDictionary<string, string?> Settings(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(TestKeys.Settings.Concat(TestJwt.Settings))
        {
            ["AzureWebJobsStorage"] = AzuriteFixture.ConnectionString,
            // As Core Tools runs an app: share links may then use the loopback address the tests call.
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Twins:SeedDemoTwin"] = "true",
            ["Langfuse:PublicKey"] = "",
            ["Langfuse:SecretKey"] = "",
            // The apps of a test process share its Azurite account and so its "evaluations" queue: only the evaluation
            // tests (each in an account of its own) queue and consume evaluations; the others would judge each other's chats.
            ["Chat:Evaluate"] = "false",
            ["AzureWebJobs.EvaluateChat.Disabled"] = "true",
            // The suites chat hundreds of times as one user from one address; the rate-limit tests set their own limits.
            ["Chat:RateLimits:ClientAddressPerMinute"] = "100000",
            ["Chat:RateLimits:VisitorPerMinute"] = "100000",
            ["Chat:RateLimits:ShareLinkPerMinute"] = "100000",
            ["Chat:RateLimits:TwinPerMinute"] = "1000000",
            ["Chat:RateLimits:UserPerMinute"] = "100000",
            ["Chat:RateLimits:FailedCredentialsPerMinute"] = "100000",
            ["Http:TrustedProxyHops"] = "0",
            ["Alerts:EvaluationSchedule"] = "0 * * * * *",
            ["Monitoring:CheckSchedule"] = "0 * * * * *",
            ["Monitoring:ApiKey"] = TestKeys.Synthetic,
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<LocalHostServer> StartAsync(params (string Key, string? Value)[] overrides) =>
        StartAsync(Settings(overrides));

    public static async Task<LocalHostServer> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var server = await LocalHostServer.StartAsync(Definition, settings, configure, (services, configuration) => services.AddTwinFunctionsApp(configuration), OpenApi.AppOpenApi.CheckAsync);
        if (settings.GetValueOrDefault("Twins:SeedDemoTwin") == "true")
        {
            // The worker serves requests while its own start-up work (seeding the demo twin) may still run, as in
            // Azure; tests that chat with the demo twin at once wait for it. Storage that is down or refusing (a
            // test's on purpose) answers 503, not 404: nothing to wait for then.
            using var admin = server.CreateClient(TestKeys.Admin);
            try
            {
                await Eventually.TrueAsync(async () => (await admin.GetAsync("/api/manage/twins/demo")).StatusCode != System.Net.HttpStatusCode.NotFound, TimeSpan.FromSeconds(20), "the demo twin seeded");
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }

        return server;
    }
}
