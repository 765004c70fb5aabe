using Microsoft.Extensions.Options;
using Twin.Observability.Dashboard;
using Twin.Observability.Langfuse;
using Twin.Observability.Tests.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Dashboard;

/// <summary>Recent chats from the ledger on Azurite: newest first, hour by hour backwards, at most 48 hours.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecentTracesTests
{
    // Half past ten: the current hour is 10:00-11:00.
    private static readonly DateTimeOffset Now = MetricsTestbed.Start + TimeSpan.FromHours(10.5);

    [Fact]
    public async Task Newest_first_reading_only_as_many_hours_as_the_limit_needs()
    {
        var bed = await BedAsync();
        var a = await WriteAsync(bed, Now - TimeSpan.FromMinutes(5));
        var b = await WriteAsync(bed, Now - TimeSpan.FromMinutes(20));
        var c = await WriteAsync(bed, Now - TimeSpan.FromMinutes(70));
        var d = await WriteAsync(bed, Now - TimeSpan.FromHours(3));
        var other = await WriteAsync(bed, Now - TimeSpan.FromMinutes(2), twinId: "other");
        var recent = Recent(bed);

        var two = await recent.ReadAsync(new RecentTracesQuery(2, "demo"), default);
        var three = await recent.ReadAsync(new RecentTracesQuery(3, "demo"), default);
        var everyTwin = await recent.ReadAsync(new RecentTracesQuery(10, null), default);

        Assert.Equal([a, b], two.Data.Select(t => t.TraceId));
        Assert.Equal(new RecentTracesScan(Hour(10), Hour(11), 1, 48), two.Scanned);
        Assert.Equal([a, b, c], three.Data.Select(t => t.TraceId));
        Assert.Equal(new RecentTracesScan(Hour(9), Hour(11), 2, 48), three.Scanned);
        Assert.Equal([other, a, b, c, d], everyTwin.Data.Select(t => t.TraceId));
        Assert.Equal(new RecentTracesScan(Hour(11) - TimeSpan.FromHours(48), Hour(11), 48, 48), everyTwin.Scanned);
    }

    [Fact]
    public async Task A_busy_hour_gives_its_newest_rows_in_order()
    {
        var bed = await BedAsync();
        var written = new List<(DateTimeOffset At, string TraceId)>();
        for (var i = 0; i < 30; i++)
        {
            // Out of time order on purpose, and over every shard of the hour.
            var at = Hour(10) + TimeSpan.FromSeconds((i * 37 % 30) * 60);
            written.Add((at, await WriteAsync(bed, at)));
        }

        var recent = await Recent(bed).ReadAsync(new RecentTracesQuery(5, "demo"), default);

        Assert.Equal(written.OrderByDescending(w => w.At).Take(5).Select(w => w.TraceId), recent.Data.Select(t => t.TraceId));
        Assert.Equal(1, recent.Scanned.Hours);
    }

    [Fact]
    public async Task Rows_before_the_48_hours_are_not_read()
    {
        var bed = await BedAsync();
        var first = Hour(11) - TimeSpan.FromHours(48);
        var inside = await WriteAsync(bed, first);
        await WriteAsync(bed, first - TimeSpan.FromTicks(1));

        var recent = await Recent(bed).ReadAsync(new RecentTracesQuery(20, "demo"), default);

        Assert.Equal([inside], recent.Data.Select(t => t.TraceId));
        Assert.Equal(first, recent.Scanned.From);
    }

    [Fact]
    public async Task Each_chat_carries_its_ledger_fields_and_its_langfuse_page_when_langfuse_is_configured()
    {
        var bed = await BedAsync();
        var traceId = await WriteAsync(bed, Now - TimeSpan.FromMinutes(1));
        await bed.Ledger.RecordScoresAsync(traceId, "00f067aa0ba902b7", Now - TimeSpan.FromMinutes(1), new Dictionary<string, double> { ["relevance"] = 0.75 }, "heuristic", new Dictionary<string, string>(), default);
        var configured = new LangfuseOptions { PublicKey = "pk-lf-test", SecretKey = "sk-lf-test", BaseUrl = "https://langfuse.example.com" };

        var withLangfuse = Assert.Single((await new RecentTraces(bed.Ledger, Options.Create(configured), bed.Clock).ReadAsync(new RecentTracesQuery(20, null), default)).Data);
        var without = Assert.Single((await Recent(bed).ReadAsync(new RecentTracesQuery(20, null), default)).Data);

        Assert.Equal($"https://langfuse.example.com/trace/{traceId}", withLangfuse.LangfuseUrl);
        Assert.Null(without.LangfuseUrl);
        Assert.Equal("00f067aa0ba902b7", without.ObservationId);
        Assert.Equal(Now - TimeSpan.FromMinutes(1), without.Timestamp);
        Assert.Equal(("demo", "chat", "ok", 200, 100L, "twin-offline"), (without.TwinId, without.Endpoint, without.Status, without.HttpStatus, without.LatencyMs, without.Model));
        Assert.Equal(new Twin.Observability.Metrics.TokenTotals(10, 20, 30), without.Tokens);
        Assert.Equal(0.001m, without.CostUsd);
        Assert.Equal(0.75, without.Scores["relevance"]);
    }

    [Theory]
    [InlineData(null, 20)]
    [InlineData("", 20)]
    [InlineData("1", 1)]
    [InlineData(" 100 ", 100)]
    public void The_limit_defaults_to_20_and_may_be_1_to_100(string? limit, int expected)
    {
        Assert.Equal(expected, RecentTracesQuery.Parse(limit, null).Limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-5")]
    [InlineData("1e2")]
    public void Any_other_limit_is_a_validation_error(string limit)
    {
        var error = Assert.Throws<Twin.Observability.Common.RequestValidationException>(() => RecentTracesQuery.Parse(limit, null));

        Assert.Equal(["limit"], error.Errors.Keys);
    }

    private static async Task<MetricsTestbed> BedAsync()
    {
        var bed = await MetricsTestbed.CreateAsync();
        bed.Clock.SetUtcNow(Now);
        return bed;
    }

    private static RecentTraces Recent(MetricsTestbed bed) => new(bed.Ledger, Options.Create(new LangfuseOptions()), bed.Clock);

    private static async Task<string> WriteAsync(MetricsTestbed bed, DateTimeOffset at, string twinId = "demo")
    {
        var traceId = Guid.NewGuid().ToString("N");
        await bed.WriteAsync(at, twinId, traceId: traceId);
        return traceId;
    }

    private static DateTimeOffset Hour(int hour) => MetricsTestbed.Start + TimeSpan.FromHours(hour);
}
