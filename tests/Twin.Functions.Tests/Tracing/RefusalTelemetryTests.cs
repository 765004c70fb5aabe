using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Chat;
using Twin.Observability.Ledger;
using Twin.Observability.Twins;
using Twin.Testing;
using Twin.Testing.Fakes.Langfuse;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Tracing;

/// <summary>
/// What refusals cost in telemetry (issue 23, defects 1 and 2): rate-limited chats become one ledger row with a count
/// and one trace per key and minute, and a twin id from the URL reaches Langfuse and the ledger only once it names a
/// twin. Each test runs its own app on its own storage account, so ledger rows and spans are the test's alone.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RefusalTelemetryTests : IAsyncLifetime
{
    private const string Site = "https://a.example";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private FakeLangfuse _langfuse = null!;

    public async Task InitializeAsync() => _langfuse = await FakeLangfuse.StartAsync();

    public async Task DisposeAsync() => await _langfuse.DisposeAsync();

    [Fact]
    public async Task A_flood_of_rate_limited_widget_chats_writes_one_counted_ledger_row_and_exports_one_trace_a_minute()
    {
        const int flood = 25;
        var account = AzuriteFixture.NewAccountConnectionString();
        var server = await StartAsync(account, ("Chat:RateLimits:ClientAddressPerMinute", "2"), ("Http:TrustedProxyHops", "2"));
        var twinId = "";
        var refused = new List<HttpResponseMessage>();
        DateTimeOffset started, ended;
        try
        {
            twinId = await CreateTwinAsync(server);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(Widget(twinId, "203.0.113.10"))).StatusCode);
            }

            started = DateTimeOffset.UtcNow;
            for (var i = 0; i < flood; i++)
            {
                refused.Add(await server.Client.SendAsync(Widget(twinId, "203.0.113.10")));
            }

            ended = DateTimeOffset.UtcNow;
            // The positive control: a chat from another address after the flood; once its trace is in, so is every
            // trace enqueued before it.
            var control = await server.Client.SendAsync(Widget(twinId, "203.0.113.11"));
            Assert.Equal(HttpStatusCode.OK, control.StatusCode);
            await _langfuse.WaitForTraceAsync(TraceIdHeader(control), s => s.Any(x => x.Name == "chat-widget"), Wait);
        }
        finally
        {
            // The worker writes the counted refusals of the current minute when it stops.
            await server.DisposeAsync();
        }

        // The address's window may turn once during the flood and let two more through.
        var limited = refused.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, flood - 2, flood);
        // The twin's origins were cached by the chats before, so every refusal still reaches the page.
        Assert.All(limited, r => Assert.Equal(Site, r.Headers.GetValues("Access-Control-Allow-Origin").Single()));
        var minutes = (int)(Floor(ended) - Floor(started)).TotalMinutes + 1;
        var tracedRefusals = _langfuse.Spans.Where(s => s.ParentSpanId is null && s.Name == "chat-widget" && Tags(s).Contains("error:rate_limited")).ToList();
        Assert.InRange(tracedRefusals.Count, 1, minutes);
        Assert.Equal(0L, tracedRefusals[0].Attribute(ChatRefusals.PreviousMinuteAttribute));
        // A traced refusal is whole: its admit span came with it (the spans ended before the root knew it was refused).
        Assert.Contains(_langfuse.SpansOf(tracedRefusals[0].TraceId), s => s.Name == "admit");
        Assert.Empty(_langfuse.OrphanSpans());

        var rows = await RowsAsync(account, twinId, started.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var refusalRows = rows.Where(r => r.ErrorType == ChatErrorTypes.RateLimited).ToList();
        Assert.Equal(limited.Count, refusalRows.Sum(r => r.Count));
        Assert.Equal(tracedRefusals.Count, refusalRows.Count);
        Assert.All(refusalRows, r => Assert.Contains(tracedRefusals, t => t.TraceId == r.TraceId && t.SpanId == r.ObservationId));
        Assert.Equal(3 + flood - limited.Count, rows.Count(r => r.Status == LedgerStatuses.Ok));
    }

    [Fact]
    public async Task A_twin_id_that_names_no_twin_reaches_the_ledger_and_langfuse_only_as_a_label_and_a_hash()
    {
        await using var server = await StartAsync(AzuriteFixture.NewAccountConnectionString());
        const string unknown = "no-such-twin-7f3a";
        const string invalid = "Not_A-Twin";

        var unknownAnswer = await server.Client.SendAsync(Message($"/api/chat-widget/{unknown}", new { message = "hi", visitorId = "visitor-0001" }, ("Origin", Site)));
        var invalidAnswer = await server.Client.SendAsync(Message($"/api/public/chat/{invalid}/tws_x", new { message = "hi" }));

        var ledger = server.Services.GetRequiredService<LedgerStore>();
        foreach (var (answer, raw, label) in new[] { (unknownAnswer, unknown, TwinIdLabels.Unknown), (invalidAnswer, invalid, TwinIdLabels.Invalid) })
        {
            await ProblemAssert.IsProblemAsync(answer, HttpStatusCode.NotFound);
            var traceId = TraceIdHeader(answer);
            var row = await ledger.FindAsync(traceId, DateTimeOffset.UtcNow, default);
            Assert.NotNull(row);
            Assert.Equal((label, TwinIdLabels.HashOf(raw), ChatErrorTypes.UnknownTwin), (row.TwinId, row.TwinIdHash, row.ErrorType));
            var spans = await _langfuse.WaitForTraceAsync(traceId, s => s.Any(x => x.ParentSpanId is null), Wait);
            var root = _langfuse.RootOf(traceId);
            Assert.Contains("twin:" + label, Tags(root));
            Assert.Equal(TwinIdLabels.HashOf(raw), root.Attribute("langfuse.trace.metadata.twin_id_hash"));
            Assert.All(spans, s => Assert.DoesNotContain(raw, Flatten(s), StringComparison.Ordinal));
        }
    }

    private async Task<LocalHostServer> StartAsync(string account, params (string Key, string? Value)[] settings) =>
        await TwinApp.StartAsync([
            ("AzureWebJobsStorage", account),
            .. _langfuse.AppSettings(),
            .. settings]);

    private static HttpRequestMessage Widget(string twinId, string address) =>
        Message($"/api/chat-widget/{twinId}", new { message = "hi", visitorId = $"visitor-{Guid.NewGuid():N}" }, ("Origin", Site), ("X-Forwarded-For", address));

    private static async Task<string> CreateTwinAsync(LocalHostServer server)
    {
        using var admin = server.CreateClient(TestKeys.Admin);
        var twinId = "rf-" + Guid.NewGuid().ToString("N")[..12];
        (await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "RF", persona = "p", allowedOrigins = new[] { Site } })).EnsureSuccessStatusCode();
        return twinId;
    }

    private static async Task<List<LedgerEntry>> RowsAsync(string account, string twinId, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = new List<LedgerEntry>();
        var ledger = new LedgerStore(new TableServiceClient(account), Options.Create(new LedgerOptions()));
        await foreach (var e in ledger.RowsBetweenAsync(from, to, twinId, default))
        {
            rows.Add(LedgerRows.ToEntry(e));
        }

        return rows;
    }

    private static IReadOnlyList<string> Tags(ReceivedSpan span) =>
        span.Attribute("langfuse.trace.tags") is IReadOnlyList<object?> tags ? [.. tags.Select(t => t?.ToString() ?? "")] : [];

    // Every attribute value of the span as text, to look for a string anywhere in it.
    private static string Flatten(ReceivedSpan span) =>
        string.Join("\n", span.Attributes.Select(a => $"{a.Key}={(a.Value is IReadOnlyList<object?> list ? string.Join(",", list) : a.Value)}")) + "\n" + span.StatusMessage;

    private static DateTimeOffset Floor(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}
