using System.Net;
using Twin.Testing;
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
    public async Task An_azure_monitor_connection_string_adds_an_exporter_without_touching_the_chat()
    {
        await using var server = await TwinApp.StartAsync(
            ("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/"));
        using var user = server.CreateClient(TestKeys.User);

        var response = await user.SendAsync(Message("/api/chat/demo", new { message = "hello" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
