using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Observability.Health;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

[Collection(AzuriteCollection.Name)]
public sealed class HealthApiTests
{
    // Azurite's well-known development account, pointed at ports where nothing listens.
    private const string DeadStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    [Fact]
    public async Task Health_is_anonymous_and_reports_storage_langfuse_and_llm_mode_to_admins()
    {
        await using var server = await TwinApp.StartAsync();
        using var admin = server.CreateClient(TestKeys.Admin);

        var response = await admin.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var checks = health.GetProperty("checks");
        Assert.Equal("reachable", checks.GetProperty("storage").GetProperty("data").GetProperty("tables").GetString());
        Assert.Equal("off", checks.GetProperty("langfuse").GetProperty("data").GetProperty("mode").GetString());
        Assert.Equal("offline", checks.GetProperty("llm").GetProperty("data").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Anonymous_callers_and_user_keys_see_only_each_components_status_with_nosniff_and_no_store()
    {
        await using var server = await TwinApp.StartAsync(
            ("LANGFUSE_PUBLIC_KEY", "pk-lf-test"), ("LANGFUSE_SECRET_KEY", "sk-lf-test"), ("Langfuse:PublicKey", null), ("Langfuse:SecretKey", null),
            ("LANGFUSE_HOST", "http://127.0.0.1:9"),
            ("Llm:Endpoint", "http://127.0.0.1:9/v1"), ("Llm:Model", "llama3-secret-model"));
        using var user = server.CreateClient(TestKeys.User);

        foreach (var client in new[] { server.Client, user })
        {
            var response = await client.GetAsync("/api/health");

            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
            var health = JsonDocument.Parse(body).RootElement;
            Assert.Equal(["status", "checks"], health.EnumerateObject().Select(p => p.Name));
            foreach (var check in health.GetProperty("checks").EnumerateObject())
            {
                Assert.Equal(["status"], check.Value.EnumerateObject().Select(p => p.Name));
            }

            Assert.Equal("degraded", health.GetProperty("checks").GetProperty("langfuse").GetProperty("status").GetString());
            Assert.DoesNotContain("127.0.0.1:9", body, StringComparison.Ordinal);
            Assert.DoesNotContain("llama3-secret-model", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Configured_langfuse_and_llm_show_in_health_without_their_secrets()
    {
        await using var server = await TwinApp.StartAsync(
            ("LANGFUSE_PUBLIC_KEY", "pk-lf-test"), ("LANGFUSE_SECRET_KEY", "sk-lf-very-secret"), ("Langfuse:PublicKey", null), ("Langfuse:SecretKey", null),
            ("LANGFUSE_HOST", "http://127.0.0.1:3000"),
            ("Llm:Endpoint", "http://127.0.0.1:11434/v1"), ("Llm:Model", "llama3"), ("Llm:ApiKey", "sk-llm-very-secret"));
        using var admin = server.CreateClient(TestKeys.Admin);

        var body = await admin.GetStringAsync("/api/health");
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");

        Assert.Equal("configured", checks.GetProperty("langfuse").GetProperty("data").GetProperty("mode").GetString());
        Assert.Equal("openai", checks.GetProperty("llm").GetProperty("data").GetProperty("mode").GetString());
        Assert.DoesNotContain("very-secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Langfuse_reachability_is_reported_and_an_outage_only_degrades_health()
    {
        await using var langfuse = await Twin.Testing.Fakes.Langfuse.FakeLangfuse.StartAsync();
        await using var server = await TwinApp.StartAsync(
            ("LANGFUSE_PUBLIC_KEY", langfuse.PublicKey), ("LANGFUSE_SECRET_KEY", langfuse.SecretKey), ("Langfuse:PublicKey", null), ("Langfuse:SecretKey", null),
            ("LANGFUSE_HOST", langfuse.BaseUrl));

        using var admin = server.CreateClient(TestKeys.Admin);

        var up = await admin.GetFromJsonAsync<JsonElement>("/api/health");
        langfuse.Mode = Twin.Testing.Fakes.Langfuse.FakeLangfuseMode.Fail500;
        var down = await admin.GetAsync("/api/health");

        Assert.True(up.GetProperty("checks").GetProperty("langfuse").GetProperty("data").GetProperty("reachable").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        var report = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        Assert.False(report.GetProperty("checks").GetProperty("langfuse").GetProperty("data").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task Concurrent_anonymous_calls_list_storage_once_per_five_seconds_and_an_admin_call_lists_it_again()
    {
        await using var proxy = await CountingStorageProxy.ForTablesAsync(AzuriteFixture.NewAccountConnectionString());
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", proxy.ConnectionString));
        using var admin = server.CreateClient(TestKeys.Admin);
        var before = TableListings(proxy);

        var started = Stopwatch.GetTimestamp();
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => server.Client.GetAsync("/api/health")));
        var took = Stopwatch.GetElapsedTime(started);
        var anonymous = TableListings(proxy) - before;

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        // One listing per snapshot, and a snapshot lasts 5 s: however slowly a loaded machine answers the 40 calls, they
        // cannot need more than one per 5 s they took (each call listed storage before: 40).
        Assert.InRange(anonymous, 1, 1 + (int)(took / HealthSnapshot.MaxAge));

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/health")).StatusCode);
        Assert.Equal(before + anonymous + 1, TableListings(proxy));
    }

    [Fact]
    public async Task Unreachable_storage_makes_health_503_and_data_routes_503_problems()
    {
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", DeadStorage));
        using var admin = server.CreateClient(TestKeys.Admin);

        var health = await server.Client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", report.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());

        var single = await ProblemAssert.IsProblemAsync(await admin.GetAsync("/api/manage/twins/demo"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("storage", single.GetProperty("errorType").GetString());
        var list = await ProblemAssert.IsProblemAsync(await admin.GetAsync("/api/manage/twins"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("storage", list.GetProperty("errorType").GetString());
        Assert.Matches("^[0-9a-f]{32}$", list.GetProperty("traceId").GetString());

        using var user = server.CreateClient(TestKeys.User);
        var chat = await user.SendAsync(ChatClient.Message("/api/chat/demo", new { message = "hello" }));
        var problem = await ProblemAssert.IsProblemAsync(chat, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("storage", problem.GetProperty("errorType").GetString());
        Assert.Equal(problem.GetProperty("traceId").GetString(), ChatClient.TraceIdHeader(chat));
    }

    [Fact]
    public async Task Storage_that_refuses_the_apps_identity_does_not_stop_start_up_health_says_forbidden_and_data_routes_answer_503_storage()
    {
        // Azurite answers a wrong account key with 403, as Azure answers an identity whose role assignment has not arrived.
        var refused = AzuriteFixture.ConnectionString.Replace(AzuriteProcess.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", refused), ("Storage:StartupRetryDelayMilliseconds", "100"));
        using var admin = server.CreateClient(TestKeys.Admin);

        var health = await admin.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var storage = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("storage");
        Assert.Equal("unhealthy", storage.GetProperty("status").GetString());
        Assert.Equal("forbidden", storage.GetProperty("data").GetProperty("tables").GetString());
        Assert.Equal("forbidden", storage.GetProperty("data").GetProperty("queues").GetString());

        var problem = await ProblemAssert.IsProblemAsync(await admin.GetAsync("/api/manage/twins"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("storage", problem.GetProperty("errorType").GetString());
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/api/manage/twins/demo/share-tokens", null), HttpStatusCode.ServiceUnavailable);
    }

    // The health check's listing of tables (GET /{account}/Tables); nothing else in the app lists them.
    private static int TableListings(CountingStorageProxy proxy) =>
        proxy.Count((method, path) => method == "GET" && path.EndsWith("/Tables", StringComparison.OrdinalIgnoreCase));
}
