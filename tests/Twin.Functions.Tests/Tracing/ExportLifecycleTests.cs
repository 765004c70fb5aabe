using System.Net;
using Twin.Testing;
using Twin.Testing.Fakes.AzureMonitor;
using Twin.Testing.Fakes.Langfuse;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

[Collection(AzuriteCollection.Name)]
public sealed class ExportLifecycleTests
{
    private const int Burst = 12;

    [Fact]
    public async Task Spans_still_queued_are_flushed_when_the_host_stops()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        string traceId;
        await using (var server = await TwinApp.StartAsync(
            ("LANGFUSE_PUBLIC_KEY", langfuse.PublicKey), ("LANGFUSE_SECRET_KEY", langfuse.SecretKey), ("Langfuse:PublicKey", null), ("Langfuse:SecretKey", null),
            ("LANGFUSE_HOST", langfuse.BaseUrl),
            // An interval far beyond the test: only the shutdown flush can deliver the spans.
            ("Langfuse:ExportIntervalMilliseconds", "600000")))
        {
            using var user = server.CreateClient(TestKeys.User);
            var response = await user.SendAsync(Message("/api/chat/demo", new { message = "hello" }));
            traceId = TraceIdHeader(response);
            Assert.Empty(langfuse.SpansOf(traceId));
        }

        Assert.Contains(langfuse.SpansOf(traceId), s => s.Name == "chat");
    }

    [Fact]
    public async Task An_azure_monitor_connection_string_exports_every_chat_trace_to_application_insights_and_still_to_langfuse()
    {
        await using var monitor = await FakeAzureMonitor.StartAsync();
        await using var langfuse = await FakeLangfuse.StartAsync();
        List<string> traceIds;
        await using (var server = await TwinApp.StartAsync(
            ("APPLICATIONINSIGHTS_CONNECTION_STRING", monitor.ConnectionString),
            ("LANGFUSE_PUBLIC_KEY", langfuse.PublicKey), ("LANGFUSE_SECRET_KEY", langfuse.SecretKey), ("Langfuse:PublicKey", null), ("Langfuse:SecretKey", null),
            ("LANGFUSE_HOST", langfuse.BaseUrl),
            // Content too, to compare it with Langfuse's (without it: AzureMonitorCorrelationTests).
            ("Telemetry:SendContentToAzureMonitor", "true")))
        {
            using var user = server.CreateClient(TestKeys.User);
            // A burst beyond any per-second sampling budget: every chat must be traced, not a sample of them.
            var responses = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => user.SendAsync(Message("/api/chat/demo", new { message = $"hello {i}" }))));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            traceIds = responses.Select(TraceIdHeader).ToList();
        }

        // Stopping the host flushes both exporters, so every chat's spans have been sent by now.
        Assert.All(traceIds, traceId =>
        {
            var exported = monitor.OfOperation(traceId);
            var names = exported.Select(e => e.GetProperty("data").GetProperty("baseData").GetProperty("name").GetString()).ToList();
            Assert.Contains("chat", names);
            Assert.Contains("load-twin", names);
            // Span payloads become JSON when exported, by each exporter: Application Insights gets the same text.
            var root = exported.Single(e => e.GetProperty("data").GetProperty("baseData").GetProperty("name").GetString() == "chat");
            Assert.StartsWith("{\"message\":\"hello ", root.GetProperty("data").GetProperty("baseData").GetProperty("properties").GetProperty("langfuse.observation.input").GetString(), StringComparison.Ordinal);
            Assert.All(exported, e => Assert.Equal(FakeAzureMonitor.InstrumentationKey, e.GetProperty("iKey").GetString()));
            Assert.Contains(langfuse.SpansOf(traceId), s => s.Name == "chat");
        });
    }
}
