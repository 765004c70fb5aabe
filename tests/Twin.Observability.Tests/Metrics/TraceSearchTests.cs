using Twin.Observability.Common;
using Twin.Observability.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Metrics;

[Collection(AzuriteCollection.Name)]
public sealed class TraceSearchTests
{
    private static readonly DateTimeOffset Start = MetricsTestbed.Start;

    [Fact]
    public async Task Filters_combine_newest_first_and_pages_cover_every_match_exactly_once()
    {
        var bed = await MetricsTestbed.CreateAsync();
        for (var i = 0; i < 30; i++)
        {
            var row = MetricsTestbed.Row(
                Start.AddMinutes(i * 7),
                twinId: i % 2 == 0 ? "alpha" : "beta",
                status: i % 5 == 0 ? "error" : "ok",
                errorType: i % 5 == 0 ? "rate_limited" : null,
                scores: new Dictionary<string, double> { ["relevance"] = i % 10 / 10.0 }) with
            {
                UserId = i % 3 == 0 ? "u-1" : "u-2",
                Message = i % 4 == 0 ? $"How do I trace a Chain {i}?" : $"Hello {i}",
                Reply = "Sure.",
            };
            await bed.Ledger.WriteAsync(row, default);
        }

        var search = new TraceSearch(bed.Ledger);
        var all = await PagesAsync(search, Query(("from", "2026-11-02T00:00:00Z"), ("to", "2026-11-02T04:00:00Z"), ("limit", "4")));
        var errors = await PagesAsync(search, Query(("from", "2026-11-02T00:00:00Z"), ("to", "2026-11-03T00:00:00Z"), ("status", "error"), ("twinId", "alpha")));
        var scored = await PagesAsync(search, Query(("from", "2026-11-02T00:00:00Z"), ("to", "2026-11-03T00:00:00Z"), ("minScore.relevance", "0.7"), ("maxScore.relevance", "0.8"), ("userId", "u-2")));
        var text = await PagesAsync(search, Query(("from", "2026-11-02T00:00:00Z"), ("to", "2026-11-03T00:00:00Z"), ("text", "TRACE a chain"), ("limit", "2")));

        Assert.Equal(30, all.Count);
        Assert.Equal(30, all.Select(h => h.TraceId).Distinct().Count());
        // Newest hour first; inside an hour a page is newest first, but an hour read over several pages comes shard by shard.
        Assert.Equal(all.Select(h => Hour(h.Timestamp)).OrderDescending(), all.Select(h => Hour(h.Timestamp)));
        Assert.Equal([20 * 7, 10 * 7, 0], errors.Select(h => (int)(h.Timestamp - Start).TotalMinutes));
        Assert.All(errors, h => Assert.Equal(("alpha", "error", "rate_limited"), (h.TwinId, h.Status, h.ErrorType)));
        Assert.Equal(3, errors.Count);
        Assert.All(scored, h => Assert.InRange(h.Scores["relevance"], 0.7, 0.8));
        Assert.All(scored, h => Assert.Equal("u-2", h.UserId));
        Assert.Equal(new[] { 7, 8, 17, 18, 27, 28 }.Count(i => i % 3 != 0), scored.Count);
        Assert.Equal([0, 4, 8, 12, 16, 20, 24, 28], text.Select(h => (int)(h.Timestamp - Start).TotalMinutes / 7).Order());
    }

    [Theory]
    [InlineData("status", "maybe", "status")]
    [InlineData("minScore.Relevance", "0.5", "minScore.Relevance")]
    [InlineData("maxScore.relevance", "high", "maxScore.relevance")]
    [InlineData("promptVersion", "-1", "promptVersion")]
    [InlineData("limit", "0", "limit")]
    public void Bad_filters_are_refused_naming_the_parameter(string parameter, string value, string field)
    {
        var error = Assert.Throws<RequestValidationException>(() => Query((parameter, value)));

        Assert.Contains(field, error.Errors.Keys);
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("error")]
    [InlineData("cancelled")]
    public void Every_ledger_status_is_a_valid_filter(string status) =>
        Assert.Equal(status, Query(("status", status)).Columns["Status"]);

    [Fact]
    public async Task A_token_that_is_not_ours_is_refused()
    {
        var bed = await MetricsTestbed.CreateAsync();

        var error = await Assert.ThrowsAsync<RequestValidationException>(() => new TraceSearch(bed.Ledger).SearchAsync(Query(("continuationToken", "bm90LWEtdG9rZW4")), default));

        Assert.Contains("continuationToken", error.Errors.Keys);
    }

    private static DateTimeOffset Hour(DateTimeOffset at) => RollupGranularity.Hour.Floor(at);

    private static TraceSearchQuery Query(params (string Key, string Value)[] parameters) =>
        TraceSearchQuery.Parse(parameters.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)), Start.AddDays(1));

    private static async Task<List<TraceHit>> PagesAsync(TraceSearch search, TraceSearchQuery query)
    {
        var hits = new List<TraceHit>();
        for (var pages = 0; pages < 50; pages++)
        {
            var result = await search.SearchAsync(query, default);
            hits.AddRange(result.Data);
            if (result.ContinuationToken is null)
            {
                return hits;
            }

            query = query with { Page = query.Page with { ContinuationToken = result.ContinuationToken } };
        }

        throw new InvalidOperationException("The search did not end within 50 pages.");
    }
}
