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
    public async Task An_azure_monitor_connection_string_exports_the_chat_trace_to_application_insights_without_touching_the_chat()
    {
        await using var monitor = await FakeAzureMonitor.StartAsync();
        string traceId;
        await using (var server = await TwinApp.StartAsync(("APPLICATIONINSIGHTS_CONNECTION_STRING", monitor.ConnectionString)))
        {
            using var user = server.CreateClient(TestKeys.User);
            var response = await user.SendAsync(Message("/api/chat/demo", new { message = "hello" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            traceId = TraceIdHeader(response);
        }

        // Stopping the host flushes the exporter, so the chat's spans have been sent by now.
        var exported = monitor.OfOperation(traceId);
        var names = exported.Select(e => e.GetProperty("data").GetProperty("baseData").GetProperty("name").GetString()).ToList();
        Assert.Contains("chat", names);
        Assert.Contains(exported, e => e.GetProperty("iKey").GetString() == FakeAzureMonitor.InstrumentationKey);
        Assert.True(exported.Count > 1, $"the chat's node spans are exported too: {string.Join(", ", names)}");
    }
}
