using System.Net;
using System.Text.Json;
using Twin.Testing;
using Twin.Testing.Fakes.AzureMonitor;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

/// <summary>
/// What Application Insights receives beside Langfuse, through the real Azure Monitor exporter posting to a loopback
/// ingestion fake: the worker's invocation span under the host's span, the chat root linked to it, and prompts and
/// replies only when <c>Telemetry:SendContentToAzureMonitor</c> is set; Langfuse gets the app's spans only, with the
/// content, the chat root without a parent. Each test stops its app before asserting: stopping flushes both exporters.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureMonitorCorrelationTests
{
    private const string CallerTrace = "3cf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "01f067aa0ba902b7";
    private const string Model = "gpt-test";

    // Said by the user and echoed in the fake model's reply, so it is in every content attribute of the chat.
    private const string Said = "my parrot is called Quillon";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_invocation_span_reaches_application_insights_under_the_hosts_span_and_the_chat_root_links_to_it()
    {
        await using var chat = await Chat.StartAsync();

        // The worker's span of the invocation: in the caller's trace, a child of the host's span (a hop of its own,
        // not the caller's span), in Application Insights and not in Langfuse.
        var invocation = Assert.Single(chat.Monitor.OfOperation(CallerTrace), e => Name(e) == "function Chat");
        var invocationSpan = Data(invocation).GetProperty("id").GetString()!;
        var hostSpan = Tag(invocation, "ai.operation.parentId");
        Assert.Matches("^[0-9a-f]{16}$", hostSpan);
        Assert.NotEqual(CallerSpan, hostSpan);
        Assert.DoesNotContain(chat.Langfuse.Spans, s => s.SpanId == invocationSpan || s.Name.StartsWith("function", StringComparison.Ordinal));

        // The chat root stays a root in Langfuse, linked to the caller's span and to the invocation span.
        var root = chat.Langfuse.RootOf(CallerTrace);
        Assert.Null(root.ParentSpanId);
        Assert.Equal([(CallerTrace, CallerSpan), (CallerTrace, invocationSpan)], root.Links.Select(l => (l.TraceId, l.SpanId)));
        Assert.DoesNotContain(chat.Langfuse.Spans, s => s.ParentSpanId == invocationSpan || s.ParentSpanId == hostSpan);

        // Application Insights has the same root in the same operation, with the links to join it to the host's spans.
        var appRoot = Assert.Single(chat.Monitor.OfOperation(CallerTrace), e => Name(e) == "chat");
        Assert.Equal(root.SpanId, Data(appRoot).GetProperty("id").GetString());
        var links = JsonDocument.Parse(Properties(appRoot).GetProperty("_MS.links").GetString()!).RootElement;
        Assert.Contains(links.EnumerateArray(), l => l.GetProperty("operation_Id").GetString() == CallerTrace && l.GetProperty("id").GetString() == invocationSpan);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("true")]
    public async Task Prompts_and_replies_reach_application_insights_only_when_the_setting_allows_it_and_langfuse_always(string? sendContent)
    {
        await using var chat = await Chat.StartAsync(("Telemetry:SendContentToAzureMonitor", sendContent));

        var exported = chat.Monitor.OfOperation(CallerTrace);
        Assert.Contains(exported, e => Name(e) == "chat");
        Assert.Contains(exported, e => Name(e) == "generate");
        var generation = chat.Langfuse.SpansOf(CallerTrace).Single(s => s.Attribute("gen_ai.operation.name") is "chat");
        Assert.Contains(Said, (string)chat.Langfuse.RootOf(CallerTrace).Attribute("langfuse.observation.input")!, StringComparison.Ordinal);
        Assert.Contains(Said, (string)generation.Attribute("langfuse.observation.input")!, StringComparison.Ordinal);
        Assert.Contains(Said, (string)generation.Attribute("langfuse.observation.output")!, StringComparison.Ordinal);
        var sent = string.Join('\n', chat.Monitor.Envelopes.Select(e => e.GetRawText()));
        if (sendContent == "true")
        {
            var root = exported.Single(e => Name(e) == "chat");
            Assert.Contains(Said, Properties(root).GetProperty("langfuse.observation.input").GetString(), StringComparison.Ordinal);
            Assert.Contains(Said, Properties(root).GetProperty("langfuse.observation.output").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain(Said, sent, StringComparison.Ordinal);
            Assert.DoesNotContain("langfuse.observation.input", sent, StringComparison.Ordinal);
            Assert.DoesNotContain("langfuse.observation.output", sent, StringComparison.Ordinal);
            // The rest of the span is there: only the content is left out.
            Assert.Equal("agent", Properties(exported.Single(e => Name(e) == "chat")).GetProperty("langfuse.observation.type").GetString());
        }
    }

    private static string? Name(JsonElement envelope) => Data(envelope).GetProperty("name").GetString();

    private static JsonElement Data(JsonElement envelope) => envelope.GetProperty("data").GetProperty("baseData");

    private static JsonElement Properties(JsonElement envelope) => Data(envelope).GetProperty("properties");

    private static string Tag(JsonElement envelope, string name) => envelope.GetProperty("tags").GetProperty(name).GetString()!;

    /// <summary>One chat with a caller's trace context, on an app that was stopped (so flushed) before the asserts.</summary>
    private sealed record Chat(FakeAzureMonitor Monitor, FakeLangfuse Langfuse) : IAsyncDisposable
    {
        public static async Task<Chat> StartAsync(params (string Key, string? Value)[] settings)
        {
            var chat = new Chat(await FakeAzureMonitor.StartAsync(), await FakeLangfuse.StartAsync());
            try
            {
                await using var llm = await FakeOpenAI.StartAsync();
                await using var app = await TwinApp.StartAsync(
                [
                    .. chat.Langfuse.AppSettings(),
                    .. llm.AppSettings(Model),
                    ("APPLICATIONINSIGHTS_CONNECTION_STRING", chat.Monitor.ConnectionString),
                    .. settings,
                ]);
                using var user = app.CreateClient(TestKeys.User);
                var response = await user.SendAsync(Message("/api/chat/demo", new { message = $"Hello, {Said}." }, ("traceparent", $"00-{CallerTrace}-{CallerSpan}-01")));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(CallerTrace, TraceIdHeader(response));
                await chat.Langfuse.WaitForTraceAsync(CallerTrace, s => s.Any(x => x.Name == "chat"), Wait);
                return chat;
            }
            catch
            {
                await chat.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Monitor.DisposeAsync();
            await Langfuse.DisposeAsync();
        }
    }
}
