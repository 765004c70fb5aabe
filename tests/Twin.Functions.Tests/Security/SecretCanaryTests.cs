using System.Net;
using System.Text;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.Functions.Tests.EndToEnd;
using Twin.Functions.Tests.Evaluation;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Storage;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.OpenAI;
using Twin.Testing.Logging;
using Xunit;
using Xunit.Abstractions;

namespace Twin.Functions.Tests.Security;

/// <summary>
/// Canary credentials (an LLM key and a Langfuse key pair made for this run) are configured, and both upstreams answer
/// errors whose bodies quote the credentials the app sent: the fake LLM 502s echoing <c>Authorization: Bearer</c>, the
/// fake Langfuse answers prompts, scores and datasets with 4xx/5xx echoing its <c>Basic</c> header and the decoded
/// pair, while still ingesting spans. Every log line of the app (messages, properties, exceptions), every span it
/// exports and every HTTP answer is searched: none may hold a canary, while the logs still say which upstream failed
/// and with what status.
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class SecretCanaryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Model = "gpt-canary";
    private const string Knowledge = "My favourite tool for tracing LLM applications is Langfuse.";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _llmKey = "sk-canary-" + Guid.NewGuid().ToString("N");
    private readonly string _publicKey = "pk-lf-canary-" + Guid.NewGuid().ToString("N");
    private readonly string _secretKey = "sk-lf-canary-" + Guid.NewGuid().ToString("N");
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<string> _answers = [];
    private FakeLangfuse _langfuse = null!;
    private FakeOpenAI _llm = null!;
    private LocalHostServer? _server;
    private HttpClient _admin = null!;
    private HttpClient _user = null!;

    private string BasicPair => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_publicKey}:{_secretKey}"));

    public async Task InitializeAsync()
    {
        _langfuse = await FakeLangfuse.StartAsync(_publicKey, _secretKey);
        _llm = await FakeOpenAI.StartAsync(_llmKey);
        _llm.Responder = request => request.ResponseFormatType == "json_object"
            ? """{"score": 0.9, "reasoning": "Answers the question from the knowledge.", "violations": []}"""
            : Knowledge;
        _server = await TwinApp.StartAsync(
            TwinApp.Settings(EvaluationApp.Settings(
                ("LANGFUSE_PUBLIC_KEY", _publicKey),
                ("LANGFUSE_SECRET_KEY", _secretKey),
                ("Langfuse:PublicKey", null),
                ("Langfuse:SecretKey", null),
                ("LANGFUSE_HOST", _langfuse.BaseUrl),
                ("Langfuse:ExportIntervalMilliseconds", "100"),
                // Evaluations are queued by the test, so each runs in the failure mode it is meant to meet.
                ("Chat:Evaluate", "false"),
                ("Prompts:CacheTtlSeconds", "1"),
                ("Llm:Endpoint", _llm.BaseUrl),
                ("Llm:ApiKey", _llmKey),
                ("Llm:Model", Model),
                ("Llm:TimeoutSeconds", "5"),
                ("Llm:MaxRetries", "1"),
                ("Llm:RetryDelayMilliseconds", "50"))),
            builder =>
            {
                builder.Logging.AddProvider(_logs);
                builder.Logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
            });
        _admin = Client(TestKeys.Admin);
        _user = Client(TestKeys.User);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _user.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _llm.DisposeAsync();
        await _langfuse.DisposeAsync();
    }

    [Fact]
    public async Task Credentials_echoed_by_the_llm_and_langfuse_reach_no_log_span_or_answer()
    {
        var twinId = await EvaluationApp.CreateTwinAsync(_admin, [Knowledge]);
        var (okTrace, _, at) = await EvaluationApp.ChatAsync(_user, twinId, "Which tool do you like for tracing?");
        var row = await RowAsync(okTrace, at);

        // The LLM echoes its key: a chat fails with 502, the judges of an evaluation fail until it is poisoned.
        _llm.Mode = FakeOpenAIMode.EchoCredentialsInError;
        var failed = await _user.SendAsync(ChatClient.Message($"/api/chat/{twinId}", new { message = "Which tool do you like for tracing?" }));
        await RecordAsync(failed);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        await EvaluateAsync(row);
        await PoisonedAsync(okTrace);
        _llm.Mode = FakeOpenAIMode.Normal;

        // Langfuse echoes its Basic pair with a 500: prompts fall back, the playground answers 502, scores fail until poisoned.
        _langfuse.Mode = FakeLangfuseMode.EchoCredentialsInError;
        _langfuse.EchoStatusCode = 500;
        var fallback = await _user.SendAsync(ChatClient.Message($"/api/chat/{twinId}", new { message = "Which tool do you like for tracing?" }));
        await RecordAsync(fallback);
        Assert.Equal(HttpStatusCode.OK, fallback.StatusCode);
        var prompt = await _admin.GetAsync("/api/manage/playground/prompts/no-such-prompt?label=staging");
        await RecordAsync(prompt);
        Assert.Equal(HttpStatusCode.BadGateway, prompt.StatusCode);
        await RecordAsync(await _admin.GetAsync("/api/manage/playground/prompts"));
        var (transientTrace, _, transientAt) = await EvaluationApp.ChatAsync(_user, twinId, "Do you like tracing?");
        await EvaluateAsync(await RowAsync(transientTrace, transientAt));
        await PoisonedAsync(transientTrace);

        // Langfuse refuses with a 400 echoing the pair: scores and the dataset item are refused and logged, not retried.
        _langfuse.EchoStatusCode = 400;
        var (refusedTrace, _, refusedAt) = await EvaluationApp.ChatAsync(_user, twinId, "Is Langfuse your tool for tracing?");
        await EvaluateAsync(await RowAsync(refusedTrace, refusedAt));
        await Eventually.TrueAsync(() => _logs.Lines.Any(l => l.Message.Contains("Evaluated chat " + refusedTrace, StringComparison.Ordinal)), Wait, "the refused evaluation finished");
        _langfuse.Mode = FakeLangfuseMode.Normal;

        // Stopping the app flushes every span it still holds to the fake Langfuse.
        await _server!.DisposeAsync();
        _server = null;

        var secrets = new Dictionary<string, string>
        {
            ["LLM key"] = _llmKey,
            ["Langfuse secret key"] = _secretKey,
            ["Langfuse public key"] = _publicKey,
            ["Langfuse Basic pair"] = BasicPair,
        };
        var leaks = new List<string>();
        foreach (var (what, secret) in secrets)
        {
            leaks.AddRange(_logs.Lines.Where(l => l.Text.Contains(secret, StringComparison.Ordinal)).Select(l => $"{what} in log {l}"));
            leaks.AddRange(_langfuse.Spans.SelectMany(s => SpanTexts(s).Where(t => t.Text.Contains(secret, StringComparison.Ordinal)).Select(t => $"{what} in span {s.Name} {t.Where}")));
            leaks.AddRange(_answers.Where(a => a.Contains(secret, StringComparison.Ordinal)).Select(a => $"{what} in an answer: {a[..Math.Min(a.Length, 120)]}"));
        }

        foreach (var leak in leaks)
        {
            output.WriteLine(leak);
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:\n{string.Join("\n", leaks)}");

        // The upstreams really echoed: without them the test proves nothing.
        Assert.True(_llm.RequestCountIn(FakeOpenAIMode.EchoCredentialsInError) >= 2, "the LLM answered echoing errors");
        Assert.Contains(_langfuse.RestRequests, r => r.Mode == FakeLangfuseMode.EchoCredentialsInError && r.StatusCode == 500 && r.Path.StartsWith(FakeLangfuse.PromptsPath, StringComparison.Ordinal));
        Assert.Contains(_langfuse.RestRequests, r => r.Mode == FakeLangfuseMode.EchoCredentialsInError && r.StatusCode == 400 && r.Path.Contains("scores", StringComparison.Ordinal));

        // What failed is still told: the upstream and its status.
        Assert.Contains(_logs.Lines, l => l.Category == typeof(ChatPipeline).FullName && l.Message.Contains("LLM failed", StringComparison.Ordinal) && l.Message.Contains("status 502", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Text.Contains("Langfuse answered 500 for the prompt", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Text.Contains("Langfuse answered 400 for the score", StringComparison.Ordinal));
        Assert.Contains(_langfuse.Spans, s => s.StatusCode == "Error" && s.Attribute("gen_ai.operation.name") is not null);
    }

    private HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = _server!.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    private async Task RecordAsync(HttpResponseMessage response)
    {
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        _answers.Add($"{(int)response.StatusCode}\n{headers}\n{await response.Content.ReadAsStringAsync()}");
    }

    private async Task<LedgerEntry> RowAsync(string traceId, DateTimeOffset at)
    {
        var ledger = _server!.Services.GetRequiredService<LedgerStore>();
        LedgerEntry? row = null;
        await Eventually.TrueAsync(async () => (row = await ledger.FindAsync(traceId, at, default)) is not null, Wait, "ledger row of " + traceId);
        return row!;
    }

    private Task EvaluateAsync(LedgerEntry row) =>
        _server!.Services.GetRequiredService<IEvaluationDispatcher>().EnqueueAsync(
            EvaluationApp.RequestOf(row, "Which tool do you like for tracing?", Knowledge, Knowledge),
            default);

    private async Task PoisonedAsync(string traceId)
    {
        var poison = EvaluationApp.Queue(_server!, StorageNames.Queues.Evaluations + "-poison");
        await poison.CreateIfNotExistsAsync();
        await Eventually.TrueAsync(
            async () => (await poison.PeekMessagesAsync(32)).Value.Any((PeekedMessage m) => m.Body.ToString().Contains(traceId, StringComparison.Ordinal)),
            Wait,
            $"the evaluation of {traceId} in evaluations-poison");
    }

    private static IEnumerable<(string Where, string Text)> SpanTexts(ReceivedSpan span)
    {
        yield return ("name", span.Name);
        yield return ("status", span.StatusMessage);
        foreach (var (key, value) in span.Attributes)
        {
            yield return ("attribute " + key, Flatten(value));
        }

        foreach (var (key, value) in span.ResourceAttributes)
        {
            yield return ("resource " + key, Flatten(value));
        }

        foreach (var e in span.Events)
        {
            yield return ("event " + e.Name, e.Name);
            foreach (var (key, value) in e.Attributes)
            {
                yield return ($"event {e.Name} {key}", Flatten(value));
            }
        }

        foreach (var link in span.Links)
        {
            foreach (var (key, value) in link.Attributes)
            {
                yield return ("link " + key, Flatten(value));
            }
        }
    }

    private static string Flatten(object? value) => value switch
    {
        null => "",
        string s => s,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        IReadOnlyDictionary<string, object?> map => string.Join(";", map.Select(p => p.Key + "=" + Flatten(p.Value))),
        System.Collections.IEnumerable list => string.Join(";", list.Cast<object?>().Select(Flatten)),
        _ => value.ToString() ?? "",
    };
}
