using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.Observability.Tracing;
using Twin.Testing;
using Twin.Testing.Fakes.AzureMonitor;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Logging;
using Twin.Testing.Metrics;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

/// <summary>
/// Export failures are not silent: with Langfuse failing trace ingestion or refusing the keys, chats still succeed,
/// and the app counts the lost spans on its meter, logs one warning (not one per batch), and reports the langfuse
/// health component degraded (never unhealthy) with what failed; with Langfuse fine, health stays healthy.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExportHealthTests
{
    private const int Chats = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Langfuse_failing_trace_ingestion_is_counted_warned_about_once_and_degrades_health()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.FailTraces500;
        var logs = new RecordingLoggerProvider();
        var started = DateTime.UtcNow;
        // An interval beyond the test, however slow the machine: a second warning would be right after a minute.
        await using var app = await StartAsync(langfuse, logs, ("Telemetry:Export:WarningInterval", "01:00:00"));

        await ChatAsync(app, Chats);
        await Eventually.TrueAsync(() => Warnings(logs).Count == 1, Wait, "the export warning");
        var warning = Warnings(logs)[0];
        var match = System.Text.RegularExpressions.Regex.Match(warning.Message, @"^Langfuse trace export failed: (\d+) spans failed and 0 dropped in the last 1 min \(HTTP 500\)$");
        Assert.True(match.Success, warning.Message);
        var warned = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);

        // More failures within the minute are counted, but not warned about again.
        await ChatAsync(app, Chats);
        await Eventually.TrueAsync(async () => await ExportCountAsync(app, "exportFailedSpans") > warned, Wait, "failures after the warning");
        await Eventually.TrueAsync(() => langfuse.Requests.Count(r => r.StatusCode == 500) >= 2, Wait, "a second failed export");
        Assert.Single(Warnings(logs));

        using var admin = app.CreateClient(TestKeys.Admin);
        var response = await admin.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        var component = health.GetProperty("checks").GetProperty("langfuse");
        Assert.Equal("degraded", component.GetProperty("status").GetString());
        Assert.StartsWith("Spans are not reaching Langfuse", component.GetProperty("description").GetString(), StringComparison.Ordinal);
        var data = component.GetProperty("data");
        Assert.True(data.GetProperty("reachable").GetBoolean());
        Assert.Equal("accepted", data.GetProperty("keys").GetString());
        Assert.Equal(0, data.GetProperty("exportedSpans").GetInt64());
        Assert.True(data.GetProperty("exportFailedSpans").GetInt64() > warned, "the failures after the warning are counted");
        Assert.Equal("HTTP 500", data.GetProperty("lastExportError").GetString());
        var lastFailure = data.GetProperty("lastExportFailure").GetDateTime();
        Assert.Equal(DateTimeKind.Utc, lastFailure.Kind);
        Assert.InRange(lastFailure, started, DateTime.UtcNow);
        Assert.Empty(langfuse.Spans);

        var anonymous = await app.Client.GetStringAsync("/api/health");
        Assert.DoesNotContain("HTTP 500", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("exportFailedSpans", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains(langfuse.SecretKey, StringComparison.Ordinal) || l.Text.Contains(langfuse.BasicAuthorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_keys_are_reported_by_health_and_by_the_export_warning()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.RefuseKeys;
        var logs = new RecordingLoggerProvider();
        await using var app = await StartAsync(langfuse, logs);
        using var admin = app.CreateClient(TestKeys.Admin);

        var response = await admin.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        var component = health.GetProperty("checks").GetProperty("langfuse");
        Assert.Equal("degraded", component.GetProperty("status").GetString());
        Assert.StartsWith("Langfuse refused the keys", component.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("refused", component.GetProperty("data").GetProperty("keys").GetString());
        Assert.True(component.GetProperty("data").GetProperty("reachable").GetBoolean());
        Assert.Contains(langfuse.RestRequests, r => r.Path == FakeLangfuse.ProjectsPath && r.StatusCode == 401);

        await ChatAsync(app, 1);
        await Eventually.TrueAsync(() => Warnings(logs).Count == 1, Wait, "the export warning");
        Assert.EndsWith("(HTTP 401: Langfuse refused the keys)", Warnings(logs)[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_langfuse_fine_every_span_is_counted_as_exported_health_stays_healthy_and_nothing_is_warned()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        var logs = new RecordingLoggerProvider();
        await using var app = await StartAsync(langfuse, logs);

        var traceIds = await ChatAsync(app, Chats);
        foreach (var traceId in traceIds)
        {
            await langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat"), Wait);
        }

        await Eventually.TrueAsync(async () => await ExportCountAsync(app, "exportedSpans") == langfuse.Spans.Count, Wait, "every received span counted");
        using var admin = app.CreateClient(TestKeys.Admin);
        var health = await admin.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var component = health.GetProperty("checks").GetProperty("langfuse");
        Assert.Equal("healthy", component.GetProperty("status").GetString());
        Assert.Equal("Traces and scores are sent to Langfuse.", component.GetProperty("description").GetString());
        var data = component.GetProperty("data");
        Assert.Equal("accepted", data.GetProperty("keys").GetString());
        Assert.Equal(0, data.GetProperty("exportFailedSpans").GetInt64());
        Assert.Equal(0, data.GetProperty("exportDroppedSpans").GetInt64());
        Assert.InRange(data.GetProperty("exportedSpans").GetInt64(), 1, langfuse.Spans.Count);
        Assert.False(data.TryGetProperty("lastExportFailure", out _));
        Assert.Empty(Warnings(logs));
        // The counting exporter still sends the provider's resource, as the SDK's own exporter does.
        Assert.All(langfuse.Spans, s => Assert.Equal("twin-observability", s.ResourceAttributes["service.name"]));
    }

    [Fact]
    public async Task The_export_counters_reach_azure_monitor_as_metrics()
    {
        await using var monitor = await FakeAzureMonitor.StartAsync();
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.FailTraces500;
        await using (var app = await StartAsync(langfuse, new RecordingLoggerProvider(), ("APPLICATIONINSIGHTS_CONNECTION_STRING", monitor.ConnectionString)))
        {
            await ChatAsync(app, 1);
            // Counted once the exporter has the 500 back, which is after the fake received the request.
            await Eventually.TrueAsync(async () => await ExportCountAsync(app, "exportFailedSpans") > 0, Wait, "a failed export counted");
        }

        // Stopping the host flushes the metrics, so the failed spans' counter has been sent by now.
        var metrics = monitor.Envelopes
            .Where(e => e.GetProperty("data").GetProperty("baseType").GetString() == "MetricData")
            .SelectMany(e => e.GetProperty("data").GetProperty("baseData").GetProperty("metrics").EnumerateArray())
            .ToList();
        var failed = Assert.Single(metrics, m => m.GetProperty("name").GetString() == SpanExportCounters.FailedName);
        Assert.True(failed.GetProperty("value").GetDouble() > 0, failed.ToString());
    }

    private static Task<LocalHostServer> StartAsync(FakeLangfuse langfuse, RecordingLoggerProvider logs, params (string Key, string? Value)[] more) =>
        TwinApp.StartAsync(
            TwinApp.Settings(
            [
                .. langfuse.AppSettings(),
                ("Langfuse:ExportTimeoutMilliseconds", "2000"),
                .. more,
            ]),
            builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
            });

    // The worker's export counters as its health report gives them (counted since the worker started).
    private static async Task<long> ExportCountAsync(LocalHostServer app, string field)
    {
        using var admin = app.CreateClient(TestKeys.Admin);
        using var response = await admin.GetAsync("/api/health");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("checks").GetProperty("langfuse").GetProperty("data").GetProperty(field).GetInt64();
    }

    private static List<RecordedLog> Warnings(RecordingLoggerProvider logs) =>
        logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Langfuse trace export failed", StringComparison.Ordinal)).ToList();

    private static async Task<List<string>> ChatAsync(LocalHostServer app, int count)
    {
        using var user = app.CreateClient(TestKeys.User);
        var traceIds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await user.SendAsync(Message("/api/chat/demo", new { message = $"hello {i}" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            traceIds.Add(TraceIdHeader(response));
        }

        return traceIds;
    }
}
