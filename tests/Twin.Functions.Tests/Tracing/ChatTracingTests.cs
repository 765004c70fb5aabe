using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Twin.Functions.Tests.EndToEnd;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

/// <summary>
/// What Langfuse receives for chats: one trace per request with the agent graph's node spans, trace-level attributes
/// on every span, a generation with usage and cost, and error tagging. The fakes are shared, so these run in order.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChatTracingTests(TracedAppFixture app) : IClassFixture<TracedAppFixture>, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public void Dispose()
    {
        app.Llm.Mode = FakeOpenAIMode.Normal;
        app.Langfuse.Mode = FakeLangfuseMode.Normal;
    }

    [Fact]
    public async Task A_chat_is_one_trace_with_the_agent_graph_and_the_browsers_trace_id()
    {
        const string traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
        app.Llm.Usage = new FakeUsage(1000, 500);

        var response = await app.User.SendAsync(Message("/api/chat/demo", new { message = "Which tool do you like for tracing?", metadata = new { page = "home" } }, ("traceparent", $"00-{traceId}-00f067aa0ba902b7-01")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(traceId, TraceIdHeader(response));
        Assert.Equal(Math.Round((1000 * 1.5m + 500 * 2m) / 1_000_000m, 6), Math.Round(body.GetProperty("costUsd").GetDecimal(), 6));
        var spans = await app.Langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat") && s.Count >= 11, Wait);

        var root = app.Langfuse.RootOf(traceId);
        Assert.Equal("chat", root.Name);
        Assert.Null(root.ParentSpanId);
        // Linked to the caller's span, then to the worker's invocation span (in the same trace: the host continued it).
        Assert.Equal(2, root.Links.Count);
        Assert.Equal(("5bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), (root.Links[0].TraceId, root.Links[0].SpanId));
        Assert.Equal("5bf92f3577b34da6a3ce929d0e0e4736", root.Links[1].TraceId);
        Assert.DoesNotContain(spans, s => s.SpanId == root.Links[1].SpanId);
        Assert.Equal(true, root.Attribute("langfuse.internal.is_app_root"));
        Assert.Equal(true, root.Attribute("langfuse.internal.as_root"));
        Assert.Equal("agent", root.Attribute("langfuse.observation.type"));
        Assert.Contains("Which tool", (string)root.Attribute("langfuse.observation.input")!, StringComparison.Ordinal);
        Assert.Contains(body.GetProperty("reply").GetString()!.Split(' ')[0], (string)root.Attribute("langfuse.observation.output")!, StringComparison.Ordinal);
        Assert.Equal("home", root.Attribute("langfuse.trace.metadata.page"));
        Assert.Equal(
            ["admit", "load-history", "retrieve-knowledge", "select-few-shot", "build-prompt", "generate", "post-process", "save-history"],
            app.Langfuse.ChildrenOf(root).Select(s => s.Name));
        var admit = app.Langfuse.ChildrenOf(root)[0];
        Assert.Equal("guardrail", admit.Attribute("langfuse.observation.type"));
        Assert.Equal("load-twin", Assert.Single(app.Langfuse.ChildrenOf(admit)).Name);
        Assert.Equal("retriever", app.Langfuse.ChildrenOf(root).Single(s => s.Name == "retrieve-knowledge").Attribute("langfuse.observation.type"));

        var generation = app.Langfuse.ChildrenOf(app.Langfuse.ChildrenOf(root).Single(s => s.Name == "generate")).Single();
        Assert.Equal("chat", generation.Attribute("gen_ai.operation.name"));
        Assert.Equal("generation", generation.Attribute("langfuse.observation.type"));
        Assert.Equal(TracedAppFixture.Model, generation.Attribute("gen_ai.request.model"));
        Assert.Equal(1000L, generation.Attribute("gen_ai.usage.input_tokens"));
        Assert.Equal(500L, generation.Attribute("gen_ai.usage.output_tokens"));
        Assert.Equal("""{"input":0.0015,"output":0.001,"total":0.0025}""", generation.Attribute("langfuse.observation.cost_details"));
        Assert.Equal("""{"input":1000,"output":500,"total":1500}""", generation.Attribute("langfuse.observation.usage_details"));
        var sentMessages = JsonDocument.Parse((string)generation.Attribute("langfuse.observation.input")!).RootElement;
        Assert.Equal("system", sentMessages[0].GetProperty("role").GetString());
        var last = sentMessages[sentMessages.GetArrayLength() - 1];
        Assert.Equal(("user", "Which tool do you like for tracing?"), (last.GetProperty("role").GetString(), last.GetProperty("content").GetString()));
        var answered = JsonDocument.Parse((string)generation.Attribute("langfuse.observation.output")!).RootElement;
        Assert.Equal("assistant", answered[0].GetProperty("role").GetString());
        Assert.StartsWith("Fake reply to", answered[0].GetProperty("content").GetString(), StringComparison.Ordinal);

        Assert.All(spans, span =>
        {
            Assert.Equal("chat", span.Attribute("langfuse.trace.name"));
            Assert.Equal(TestKeys.UserId, span.Attribute("user.id"));
            Assert.Equal(body.GetProperty("conversationId").GetString(), span.Attribute("session.id"));
            Assert.Equal("test", span.Attribute("langfuse.environment"));
            Assert.Equal("test-release", span.Attribute("langfuse.release"));
            Assert.Contains("twin:demo", Tags(span));
        });
        Assert.All(app.Langfuse.Requests, r => Assert.Equal("4", r.IngestionVersion));
        var sent = app.Llm.Requests.Last();
        Assert.Contains(sent.Messages, m => m.Role == "system" && m.Text.Contains("Ada", StringComparison.Ordinal));
        Assert.Equal("Which tool do you like for tracing?", sent.LastUserMessage);
        Assert.Empty(app.Llm.InvalidRequests);
    }

    [Fact]
    public async Task A_chat_of_the_synthetic_key_is_traced_in_environment_synthetic_with_the_synthetic_tag()
    {
        using var synthetic = app.Server.CreateClient(TestKeys.Synthetic);
        var response = await synthetic.SendAsync(Message("/api/chat/demo", new { message = "Hello! This is a synthetic check." }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = TraceIdHeader(response);
        var spans = await app.Langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat") && s.Count >= 11, Wait);
        Assert.All(spans, span =>
        {
            Assert.Equal("synthetic", span.Attribute("langfuse.environment"));
            Assert.Contains("synthetic", Tags(span));
            Assert.Equal(TestKeys.SyntheticUserId, span.Attribute("user.id"));
        });
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("X-Trace-Id", "6bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("traceparent", "00-7bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    public async Task Every_chat_root_reaches_langfuse_without_a_parent_whatever_context_the_caller_sent(string? header, string? value)
    {
        var headers = header is null ? [] : new[] { (header, value!) };

        var response = await app.User.SendAsync(Message("/api/chat/demo", new { message = "Which tool do you like?" }, headers));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = TraceIdHeader(response);
        await app.Langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat"), Wait);
        var root = app.Langfuse.RootOf(traceId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal(true, root.Attribute("langfuse.internal.is_app_root"));
        Assert.Contains("Which tool", (string)root.Attribute("langfuse.observation.input")!, StringComparison.Ordinal);
        // Only a traceparent names a caller's span to link to; an X-Trace-Id names a trace only. The last link is to the
        // worker's invocation span, whatever the caller sent.
        Assert.Equal(header == "traceparent" ? 2 : 1, root.Links.Count);
    }

    [Fact]
    public async Task An_explicit_x_trace_id_wins_over_a_traceparent_a_proxy_rewrote()
    {
        const string chosen = "8bf92f3577b34da6a3ce929d0e0e4736";

        var response = await app.User.SendAsync(Message("/api/chat/demo", new { message = "hello" },
            ("X-Trace-Id", chosen), ("traceparent", "00-9bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));

        Assert.Equal(chosen, TraceIdHeader(response));
        await app.Langfuse.WaitForTraceAsync(chosen, s => s.Any(x => x.Name == "chat"), Wait);
        // Only the invocation span is linked, in the trace the host continued: the one the proxy's traceparent named.
        Assert.Equal("9bf92f3577b34da6a3ce929d0e0e4736", Assert.Single(app.Langfuse.RootOf(chosen).Links).TraceId);
    }

    [Fact]
    public async Task The_model_sees_the_earlier_turns_of_the_conversation()
    {
        var first = await JsonAsync(await app.User.SendAsync(Message("/api/chat/demo", new { message = "My name is Sam." })));
        var conversationId = first.GetProperty("conversationId").GetString();

        var second = await app.User.SendAsync(Message("/api/chat/demo", new { message = "What is my name?", conversationId }));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var sent = app.Llm.Requests.Last();
        Assert.Equal(["system", "user", "assistant", "user"], sent.Messages.Select(m => m.Role));
        Assert.Equal("My name is Sam.", sent.Messages[1].Text);
        Assert.Equal(first.GetProperty("reply").GetString(), sent.Messages[2].Text);
        Assert.Equal("What is my name?", sent.Messages[3].Text);
    }

    [Theory]
    [InlineData(FakeOpenAIMode.ServerError, HttpStatusCode.BadGateway, "llm_error")]
    [InlineData(FakeOpenAIMode.Malformed, HttpStatusCode.BadGateway, "llm_error")]
    [InlineData(FakeOpenAIMode.ContentFilter, HttpStatusCode.BadRequest, "content_filter")]
    [InlineData(FakeOpenAIMode.Slow, HttpStatusCode.GatewayTimeout, "llm_timeout")]
    public async Task A_failing_llm_is_tagged_on_the_trace_and_answered_with_a_problem_carrying_the_trace_id(FakeOpenAIMode mode, HttpStatusCode status, string errorType)
    {
        app.Llm.Mode = mode;
        app.Llm.SlowDelay = TimeSpan.FromSeconds(30);

        var response = await app.User.SendAsync(Message("/api/chat/demo", new { message = "hello" }));

        var problem = await ProblemAssert.IsProblemAsync(response, status);
        var traceId = problem.GetProperty("traceId").GetString()!;
        Assert.Equal(traceId, TraceIdHeader(response));
        Assert.Equal(errorType, problem.GetProperty("errorType").GetString());
        await app.Langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat"), Wait);
        var root = app.Langfuse.RootOf(traceId);
        Assert.Equal("Error", root.StatusCode);
        Assert.Equal("ERROR", root.Attribute("langfuse.observation.level"));
        Assert.Contains($"error:{errorType}", Tags(root));
        var generate = app.Langfuse.ChildrenOf(root).Single(s => s.Name == "generate");
        Assert.Equal("ERROR", generate.Attribute("langfuse.observation.level"));
        Assert.Contains($"error:{errorType}", Tags(generate));
    }

    [Fact]
    public async Task Refused_and_unknown_twin_requests_are_traced_as_errors()
    {
        var refused = await app.Server.Client.SendAsync(Message("/api/chat/demo", new { message = "hello" }));
        var unknown = await app.User.SendAsync(Message("/api/chat/nobody-here", new { message = "hello" }));

        foreach (var (response, type) in new[] { (refused, "unauthorized"), (unknown, "unknown_twin") })
        {
            var traceId = TraceIdHeader(response);
            await app.Langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.Name == "chat"), Wait);
            var root = app.Langfuse.RootOf(traceId);
            Assert.Contains($"error:{type}", Tags(root));
            Assert.Equal("ERROR", root.Attribute("langfuse.observation.level"));
        }
    }

    [Theory]
    [InlineData(FakeLangfuseMode.Fail500)]
    [InlineData(FakeLangfuseMode.Hang)]
    public async Task Chats_succeed_while_langfuse_fails_or_hangs(FakeLangfuseMode mode)
    {
        app.Langfuse.Mode = mode;
        var before = app.Langfuse.Requests.Count;

        for (var i = 0; i < 3; i++)
        {
            var response = await app.User.SendAsync(Message("/api/chat/demo", new { message = $"hello {i}" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The exporter did try to send while the chats were answered: the failure was real, not avoided.
        await Eventually.TrueAsync(() => app.Langfuse.Requests.Count > before, Wait, "an export attempt");
    }

    private static IReadOnlyList<string> Tags(ReceivedSpan span) =>
        span.Attribute("langfuse.trace.tags") is IReadOnlyList<object?> tags ? tags.Select(t => (string)t!).ToList() : [];
}
