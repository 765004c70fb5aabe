using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Twin.Functions.Tests.Evaluation;
using Twin.Functions.Tests.LocalHost;
using Twin.Testing;
using Twin.Testing.Logging;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// Storage going away under a running app: an Azurite of the test's own is stopped and started again on the same
/// ports (with its data on disk), or restarted in memory (its tables and queues gone). The app must answer 503
/// problems promptly while storage is down and work again once it is back, without a restart.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageTests : IAsyncLifetime
{
    private const string Site = "http://localhost:3000";

    // A bound against hanging (the SDK's network timeout is 100 s), not a measure: 2 s failed at 9.7 s under load
    // average 20. That the app gives up after its own few retries, not the SDK's defaults, is counted without a clock
    // in StorageOptionsTests.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(30);
    private readonly string _location = Path.Combine(Path.GetTempPath(), "twin-outage-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_location);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_location, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task While_storage_is_down_the_manage_api_and_health_answer_prompt_503s_and_recover_once_it_is_back()
    {
        await using var azurite = await AzuriteProcess.StartAsync(location: _location);
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", azurite.ConnectionString()));
        using var admin = server.CreateClient(TestKeys.Admin);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/health")).StatusCode);

        await azurite.StopAsync();

        var failures = new List<string>();
        foreach (var (name, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("list twins", () => admin.GetAsync("/api/manage/twins")),
            ("get twin", () => admin.GetAsync("/api/manage/twins/demo")),
            ("issue share token", () => admin.PostAsync("/api/manage/twins/demo/share-tokens", null)),
            ("list share tokens", () => admin.GetAsync("/api/manage/twins/demo/share-tokens")),
        })
        {
            var (response, took) = await TimedAsync(send);
            failures.AddRange(await StorageProblemFailuresAsync(name, response, took));
        }

        // Admins get a fresh run of the checks; anonymous answers come from a snapshot up to 5 s old.
        var (health, healthTook) = await TimedAsync(() => admin.GetAsync("/api/health"));
        if (health.StatusCode != HttpStatusCode.ServiceUnavailable || healthTook > Prompt || health.Headers.RetryAfter?.Delta is not { TotalSeconds: >= 1 })
        {
            failures.Add($"health: {(int)health.StatusCode} after {healthTook.TotalMilliseconds:0} ms, Retry-After '{health.Headers.RetryAfter}'");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        await azurite.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/manage/twins")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/manage/twins/demo")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task While_storage_is_down_the_three_chat_endpoints_answer_prompt_503_storage_problems_and_chat_again_once_it_is_back()
    {
        await using var azurite = await AzuriteProcess.StartAsync(location: _location);
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", azurite.ConnectionString()));
        using var admin = server.CreateClient(TestKeys.Admin);
        using var user = server.CreateClient(TestKeys.User);
        var issued = await (await admin.PostAsync("/api/manage/twins/demo/share-tokens", null)).Content.ReadFromJsonAsync<JsonElement>();
        var token = issued.GetProperty("token").GetString();
        // A widget chat before the outage: the twin's allowed origins are then known without storage.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Message("/api/chat-widget/demo", new { message = "hello", visitorId = "visitor-outage" }, ("Origin", Site)))).StatusCode);

        await azurite.StopAsync();

        var failures = new List<string>();
        foreach (var (name, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("user chat", () => user.SendAsync(Message("/api/chat/demo", new { message = "hello" }))),
            ("widget chat", () => server.Client.SendAsync(Message("/api/chat-widget/demo", new { message = "hello", visitorId = "visitor-outage" }, ("Origin", Site)))),
            ("share-link chat", () => server.Client.SendAsync(Message($"/api/public/chat/demo/{token}", new { message = "hello" }))),
        })
        {
            var (response, took) = await TimedAsync(send);
            failures.AddRange(await StorageProblemFailuresAsync(name, response, took));
            // The page of a widget reads the 503 only with CORS headers (defect 12 of issue 23).
            if (name == "widget chat" && (!response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) || allowed.Single() != Site))
            {
                failures.Add("widget chat: no Access-Control-Allow-Origin for the twin's allowed origin");
            }
        }

        await azurite.StartAsync();

        // Recovery is checked even when the outage answers were wrong, so one run reports every endpoint's state.
        foreach (var (name, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("user chat after recovery", () => user.SendAsync(Message("/api/chat/demo", new { message = "hello again" }))),
            ("widget chat after recovery", () => server.Client.SendAsync(Message("/api/chat-widget/demo", new { message = "hello again", visitorId = "visitor-outage" }, ("Origin", Site)))),
            ("share-link chat after recovery", () => server.Client.SendAsync(Message($"/api/public/chat/demo/{token}", new { message = "hello again" }))),
        })
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{name}: status {(int)response.StatusCode} (body: '{await response.Content.ReadAsStringAsync()}')");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Tables_and_queues_lost_by_an_in_memory_restart_are_created_again_and_health_recovers_without_an_app_restart()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var server = await TwinApp.StartAsync(("AzureWebJobsStorage", azurite.ConnectionString()));
        using var admin = server.CreateClient(TestKeys.Admin);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/health")).StatusCode);

        await azurite.StopAsync();
        await azurite.StartAsync();

        // The first write meets the missing table, which is created again and the write retried.
        var created = await admin.PostAsJsonAsync("/api/manage/twins", new { id = "after-restart", name = "Ada", persona = "I am Ada.", knowledge = new[] { "I bake bread." }, allowedOrigins = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/manage/twins/after-restart")).StatusCode);

        // Storage answers but still lacks the other tables and the queues: unhealthy, with the missing ones named.
        var health = await admin.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var storage = (await JsonAsync(health)).GetProperty("checks").GetProperty("storage");
        Assert.Equal("unhealthy", storage.GetProperty("status").GetString());
        var missing = storage.GetProperty("data").GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("Ledger", missing);
        Assert.Contains("evaluations", missing);
        Assert.DoesNotContain("Twins", missing);

        await Eventually.TrueAsync(
            async () => (await server.Client.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20),
            "health healthy once the tables and queues are created again");

        // The demo twin went with the data; it is seeded again once the tables are, without a restart.
        await Eventually.TrueAsync(
            async () => (await admin.GetAsync("/api/manage/twins/demo")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20),
            "the demo twin seeded again");
    }

    [Fact]
    public async Task The_local_host_outlives_a_ten_second_outage_and_processes_every_queued_message_once_storage_is_back()
    {
        await using var azurite = await AzuriteProcess.StartAsync(location: _location);
        await using var probe = await ProbeApp.StartAsync(ProbeApp.Settings(tickSchedule: "*/1 * * * * *", storage: azurite.ConnectionString()));
        var queue = new QueueClient(azurite.ConnectionString(), probe.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var worker = probe.Server.Worker;

        // The slow message is still running when storage stops, so it is settled during the outage; the hidden ones
        // only become visible while storage is down, so they wait on disk for it to come back.
        var bodies = new List<string> { "slow-in-flight" };
        await queue.SendMessageAsync(bodies[0]);
        for (var i = 0; i < 6; i++)
        {
            bodies.Add($"hidden-{i}");
            await queue.SendMessageAsync(bodies[^1], visibilityTimeout: TimeSpan.FromSeconds(2));
        }

        await Eventually.TrueAsync(async () => (await probe.RecordedAsync()).QueueDeliveries.Any(d => d.Body == "slow-in-flight"), TimeSpan.FromSeconds(20), "the slow message running");
        await OutageAsync(azurite, probe.Server, worker);

        var timerRunsAtRestart = await probe.CountAsync("EverySecond");
        for (var i = 0; i < 4; i++)
        {
            bodies.Add($"after-{i}");
            await queue.SendMessageAsync(bodies[^1]);
        }

        await Eventually.TrueAsync(
            async () => bodies.All(new HashSet<string>((await probe.RecordedAsync()).QueueDeliveries.Select(d => d.Body)).Contains),
            TimeSpan.FromSeconds(60),
            "every message queued before, during and after the outage delivered");
        // Settled, not left hidden: the one that finished during the outage is deleted once storage answers.
        await Eventually.TrueAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(60), "the queue drained");
        await Eventually.TrueAsync(async () => await probe.CountAsync("EverySecond") >= timerRunsAtRestart + 2, TimeSpan.FromSeconds(30), "the timer running on after the outage");
        AssertStillRunning(probe.Server, worker);
    }

    [Fact]
    public async Task The_app_outlives_a_ten_second_outage_and_judges_every_chat_made_before_and_after_it()
    {
        await using var azurite = await AzuriteProcess.StartAsync(location: _location);
        var logs = new RecordingLoggerProvider();
        await using var server = await TwinApp.StartAsync(
            TwinApp.Settings(EvaluationApp.Settings(
                ("AzureWebJobsStorage", azurite.ConnectionString()),
                // The host's default: a try that meets storage still coming back is not the message's last.
                ("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", "5"))),
            builder => builder.Logging.AddProvider(logs));
        using var admin = server.CreateClient(TestKeys.Admin);
        using var user = server.CreateClient(TestKeys.User);
        var worker = server.Worker;
        var twinId = await EvaluationApp.CreateTwinAsync(admin, ["I trace every chat with Langfuse."]);
        var chats = new List<(string TraceId, string Reply, DateTimeOffset At)>();
        for (var i = 0; i < 3; i++)
        {
            chats.Add(await EvaluationApp.ChatAsync(user, twinId, $"How do you trace chat {i}?"));
        }

        await OutageAsync(azurite, server, worker);

        chats.Add(await EvaluationApp.ChatAsync(user, twinId, "How do you trace chats after an outage?"));
        foreach (var (traceId, _, at) in chats)
        {
            try
            {
                await EvaluationApp.ScoredRowAsync(server, traceId, at);
            }
            catch (TimeoutException ex)
            {
                // What the host and the app logged says which step lost the chat's evaluation.
                var warnings = logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.ToString());
                var poisoned = await EvaluationApp.PoisonMessagesAsync(server);
                throw new TimeoutException(
                    $"{ex.Message} Chats: {string.Join(", ", chats.Select(c => c.TraceId))}; {poisoned.Count} poisoned: {string.Join(", ", poisoned.Select(p => p[..Math.Min(p.Length, 120)]))}. Warnings and errors:\n{string.Join('\n', warnings)}",
                    ex);
            }
        }

        AssertStillRunning(server, worker);
    }

    // Ten seconds of refused connections for every listener, the timers' status store and the app: a fixed span on
    // purpose, as long as the outage that took the host down in trials, not a wait for something to happen.
    private static async Task OutageAsync(AzuriteProcess azurite, LocalHostServer server, Twin.LocalHost.Worker.WorkerSession worker)
    {
        await azurite.StopAsync();
        Assert.False(azurite.KilledAtLastStop, $"Azurite did not exit within its stop timeout and was killed after {azurite.LastStopTook.TotalSeconds:0.0} s, losing its last writes: the test's premise failed, not the app");
        await Task.Delay(TimeSpan.FromSeconds(10));
        AssertStillRunning(server, worker);
        await azurite.StartAsync();
    }

    private static void AssertStillRunning(LocalHostServer server, Twin.LocalHost.Worker.WorkerSession worker)
    {
        Assert.False(server.IsStopping, "the host began to stop");
        Assert.Same(worker, server.Worker);
        Assert.True(worker.IsAlive, "the worker exited");
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Took)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        var response = await send();
        return (response, clock.Elapsed);
    }

    // Collects every deviation instead of stopping at the first, so one run shows which routes are not there yet.
    private static async Task<IEnumerable<string>> StorageProblemFailuresAsync(string name, HttpResponseMessage response, TimeSpan took)
    {
        var body = await response.Content.ReadAsStringAsync();
        var problems = new List<string>();
        if (took > Prompt)
        {
            problems.Add($"took {took.TotalMilliseconds:0} ms");
        }

        if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            problems.Add($"status {(int)response.StatusCode}");
        }

        // A 503 tells the caller when to come back.
        if (response.Headers.RetryAfter?.Delta is not { TotalSeconds: >= 1 })
        {
            problems.Add($"Retry-After '{response.Headers.RetryAfter}'");
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            problems.Add($"content type '{response.Content.Headers.ContentType?.MediaType}'");
        }
        else
        {
            var problem = JsonDocument.Parse(body).RootElement;
            if (!problem.TryGetProperty("errorType", out var errorType) || errorType.GetString() != "storage")
            {
                problems.Add("no errorType 'storage'");
            }

            if (!problem.TryGetProperty("traceId", out var traceId) || traceId.GetString() is not { Length: 32 })
            {
                problems.Add("no 32-hex traceId");
            }
        }

        return problems.Select(p => $"{name}: {p} (body: '{body}')");
    }
}
