using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Compare;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Tests.Datasets;
using Xunit;

namespace Twin.Observability.Tests.Compare;

/// <summary>
/// Finding a chat without its time, on Azurite: hour by hour newest first within the lookback, the trace's first chat
/// for a bare id, a named chat by its observation id; Langfuse's timestamp and full texts when it has them, and the
/// ledger alone when Langfuse fails.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LedgerChatFinderTests
{
    private const string First = "1111111111111111";
    private const string Second = "2222222222222222";
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_lookback_finds_the_first_chat_across_an_hour_boundary_and_a_named_chat_by_its_observation()
    {
        var (ledger, traceId) = await SeedAsync(textChars: 1000);
        var finder = Finder(ledger, lookbackHours: 24, langfuse: null);

        var first = await finder.FindAsync(new ChatRef(traceId, null), null, default);
        var second = await finder.FindAsync(new ChatRef(traceId, Second), null, default);

        Assert.Equal(First, first!.Entry.ObservationId);
        Assert.Equal("ledger", first.TextSource);
        Assert.Equal(Second, second!.Entry.ObservationId);
        Assert.Equal("The second reply.", second.Reply);
        Assert.Null(await finder.FindAsync(new ChatRef(traceId, "3333333333333333"), null, default));
    }

    [Fact]
    public async Task A_chat_older_than_the_lookback_is_found_only_with_a_hint()
    {
        var (ledger, traceId) = await SeedAsync(textChars: 1000);
        var finder = Finder(ledger, lookbackHours: 3, langfuse: null);

        Assert.Null(await finder.FindAsync(new ChatRef(traceId, null), null, default));
        var hinted = await finder.FindAsync(new ChatRef(traceId, null), Now.AddHours(-4), default);
        Assert.Equal(First, hinted!.Entry.ObservationId);
    }

    [Fact]
    public async Task Langfuse_gives_the_traces_time_and_the_full_texts_the_ledger_cut()
    {
        var (ledger, traceId) = await SeedAsync(textChars: 10);
        var langfuse = new StubLangfuse(path => path switch
        {
            _ when path.StartsWith($"/api/public/traces/{traceId}", StringComparison.Ordinal) => (HttpStatusCode.OK, $$"""{"id":"{{traceId}}","timestamp":"{{Now.AddHours(-4):O}}"}"""),
            _ when path.StartsWith("/api/public/v2/observations", StringComparison.Ordinal) => (HttpStatusCode.NotFound, """{"message":"not found"}"""),
            _ when path.StartsWith($"/api/public/observations?traceId={traceId}", StringComparison.Ordinal) => (HttpStatusCode.OK, $$$"""
                {"data":[
                  {"id":"{{{First}}}","traceId":"{{{traceId}}}","input":{"message":"The whole first message.","conversationId":"c1"},"output":{"reply":"The whole first reply."}},
                  {"id":"aaaaaaaaaaaaaaaa","traceId":"{{{traceId}}}","input":"retrieve","output":null}
                ]}
                """),
            _ => (HttpStatusCode.InternalServerError, "{}"),
        });
        var finder = Finder(ledger, lookbackHours: 1, langfuse);

        var chat = await finder.FindAsync(new ChatRef(traceId, null), null, default);

        Assert.Equal(First, chat!.Entry.ObservationId);
        Assert.Equal("langfuse", chat.TextSource);
        Assert.Equal("The whole first message.", chat.Message);
        Assert.Equal("The whole first reply.", chat.Reply);
        Assert.Contains(langfuse.Paths, p => p.StartsWith("/api/public/v2/observations?traceId=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_langfuse_leaves_the_ledger_to_answer_alone()
    {
        var (ledger, traceId) = await SeedAsync(textChars: 10);
        var langfuse = new StubLangfuse(_ => (HttpStatusCode.InternalServerError, """{"message":"Internal Server Error"}"""));
        var finder = Finder(ledger, lookbackHours: 24, langfuse);

        var chat = await finder.FindAsync(new ChatRef(traceId, null), null, default);

        Assert.Equal("ledger", chat!.TextSource);
        Assert.Equal("The first ", chat.Reply);
        Assert.NotEmpty(langfuse.Paths);
    }

    // Two chats of one trace either side of 08:00, four and a half hours before Now.
    private static async Task<(LedgerStore Ledger, string TraceId)> SeedAsync(int textChars)
    {
        var ledger = new LedgerStore(await DatasetTables.CreateAsync(), Options.Create(new LedgerOptions { TextChars = textChars }));
        var traceId = Guid.NewGuid().ToString("N");
        foreach (var (observationId, at, text) in new[] { (First, new DateTimeOffset(2026, 3, 10, 7, 59, 30, TimeSpan.Zero), "first"), (Second, new DateTimeOffset(2026, 3, 10, 8, 0, 30, TimeSpan.Zero), "second") })
        {
            await ledger.WriteAsync(new LedgerEntry { TraceId = traceId, ObservationId = observationId, TwinId = "demo", Endpoint = "chat", Environment = "test", Timestamp = at, Status = "ok", Message = $"The {text} message.", Reply = $"The {text} reply." }, default);
        }

        return (ledger, traceId);
    }

    private static LedgerChatFinder Finder(LedgerStore ledger, int lookbackHours, StubLangfuse? langfuse)
    {
        var options = langfuse is null ? new LangfuseOptions() : new LangfuseOptions { PublicKey = "pk-lf-test", SecretKey = "sk-lf-test" };
        var reader = new LangfuseTraceReader(langfuse ?? new StubLangfuse(_ => throw new InvalidOperationException("Langfuse is off.")), Options.Create(options), NullLogger<LangfuseTraceReader>.Instance);
        return new LedgerChatFinder(
            ledger,
            reader,
            Options.Create(new CompareOptions { LookbackHours = lookbackHours }),
            Options.Create(new LedgerOptions { TextChars = 10 }),
            new FakeTimeProvider(Now));
    }

    private sealed class StubLangfuse(Func<string, (HttpStatusCode Status, string Body)> answer) : HttpMessageHandler, IHttpClientFactory
    {
        public List<string> Paths { get; } = [];

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://langfuse.test/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery;
            lock (Paths)
            {
                Paths.Add(path);
            }

            var (status, body) = answer(path);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
