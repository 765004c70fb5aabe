using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Twin.Functions.Features;
using Twin.Observability.Features;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Features;

/// <summary>
/// The staged rollout's flags (DESIGN §7) against the real app: every function in functions.metadata has its flag or
/// is part of the product, and a flag switched off closes exactly its own routes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class FeatureFlagTests
{
    // Chat and tracing (P0) are the product; health, the OpenAPI document, the widget script and twin management are
    // what every phase needs.
    private static readonly HashSet<string> Ungated =
    [
        "Chat", "ChatWidget", "ChatWidgetPreflight", "PublicChat", "Health", "OpenApiDocument", "WidgetScript",
        "CreateTwin", "ListTwins", "GetTwin", "ReplaceTwin", "DeleteTwin", "CreateShareToken", "ListShareTokens", "RevokeShareToken",
    ];

    [Fact]
    public void Every_function_has_a_flag_of_the_rollout_or_is_part_of_the_product()
    {
        var wrong = AppMetadata.Functions
            .Select(f => (f.Name, Flag: FunctionFeatures.FlagOf(f.EntryPoint)))
            .Where(f => f.Flag is null ? !Ungated.Contains(f.Name) : !FeatureFlags.All.Contains(f.Flag) || Ungated.Contains(f.Name))
            .Select(f => $"{f.Name}: {f.Flag ?? "no flag"}")
            .ToList();

        Assert.True(wrong.Count == 0, "Functions without their rollout flag (FeatureGate) or gated by mistake:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task With_every_flag_off_each_gated_route_is_404_feature_disabled_naming_its_flag_and_the_product_still_chats()
    {
        (string Key, string? Value)[] settings = [("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()), .. FeatureFlags.All.Select(f => ($"FeatureManagement:{f}", (string?)"false"))];
        await using var server = await TwinApp.StartAsync(settings);
        using var admin = server.CreateClient(TestKeys.Admin);
        var failures = new List<string>();
        foreach (var (function, route, method, _) in AppMetadata.HttpRoutes)
        {
            if (FunctionFeatures.FlagOf(EntryPointOf(function)) is not { } flag)
            {
                continue;
            }

            var path = "/api/" + RouteParameter().Replace(route, "demo");
            var asAdmin = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            var body = await asAdmin.Content.ReadAsStringAsync();
            if (asAdmin.StatusCode != HttpStatusCode.NotFound || asAdmin.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{function} as admin: {(int)asAdmin.StatusCode} {body}");
                continue;
            }

            var problem = JsonDocument.Parse(body).RootElement;
            if (problem.GetProperty("errorType").GetString() != "feature_disabled" || problem.GetProperty("flag").GetString() != flag || !problem.GetProperty("detail").GetString()!.Contains(flag, StringComparison.Ordinal))
            {
                failures.Add($"{function} as admin: {body}");
            }

            // Anonymous callers learn nothing about what the deployment runs: a plain 404.
            var anonymous = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            var anonymousBody = await anonymous.Content.ReadAsStringAsync();
            if (anonymous.StatusCode != HttpStatusCode.NotFound || anonymousBody.Contains("feature_disabled", StringComparison.Ordinal) || anonymousBody.Contains(flag, StringComparison.Ordinal))
            {
                failures.Add($"{function} anonymous: {(int)anonymous.StatusCode} {anonymousBody}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        using var user = server.CreateClient(TestKeys.User);
        var chat = await user.SendAsync(EndToEnd.ChatClient.Message("/api/chat/demo", new { message = "Which tool do you like for tracing?" }));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/manage/twins/demo", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task One_flag_off_closes_its_routes_only_and_health_lists_every_flag()
    {
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()), ("FeatureManagement:Regression", "false"));
        using var admin = server.CreateClient(TestKeys.Admin);

        var regression = await admin.GetAsync(new Uri("/api/manage/regression/datasets", UriKind.Relative));
        var problem = await ProblemAssert.IsProblemAsync(regression, HttpStatusCode.NotFound);
        Assert.Equal("Regression", problem.GetProperty("flag").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/manage/ab-tests", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/metrics/errors", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/api/manage/alerts/rules", UriKind.Relative))).StatusCode);

        var health = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/health", UriKind.Relative))).RootElement;
        var flags = health.GetProperty("checks").GetProperty("features").GetProperty("data");
        Assert.Equal(FeatureFlags.All.Order(StringComparer.Ordinal), flags.EnumerateObject().Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(flags.EnumerateObject(), f => Assert.Equal(f.Name == "Regression" ? "off" : "on", f.Value.GetString()));
    }

    private static string EntryPointOf(string function) => AppMetadata.Functions.Single(f => f.Name == function).EntryPoint;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
