using Twin.Observability.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Metrics;

public sealed class MetricAggregateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Errors_count_by_type_and_latency_counts_successful_requests_only()
    {
        var aggregate = new MetricAggregate();
        aggregate.Add(MetricsTestbed.Row(At, latencyMs: 900));
        aggregate.Add(MetricsTestbed.Row(At, status: "error", errorType: "rate_limited", latencyMs: 1));
        aggregate.Add(MetricsTestbed.Row(At, status: "error", errorType: "rate_limited", latencyMs: 1));
        aggregate.Add(MetricsTestbed.Row(At, status: "error", errorType: null, latencyMs: 1));

        Assert.Equal((4L, 3L, 0.75), (aggregate.Count, aggregate.ErrorCount, aggregate.ErrorRate));
        Assert.Equal(new Dictionary<string, long> { ["rate_limited"] = 2, ["unknown"] = 1 }, aggregate.ErrorTypes);
        Assert.Equal(1, aggregate.Latency.Count);
        Assert.Equal(900, aggregate.Latency.Quantile(0.5), 900 * 0.01);
        Assert.Equal((10L, 20L), (aggregate.InputTokens, aggregate.OutputTokens));
    }

    [Fact]
    public void A_row_of_counted_refusals_adds_its_count_to_requests_errors_and_error_types_but_no_latency_sample()
    {
        var aggregate = new MetricAggregate();
        aggregate.Add(MetricsTestbed.Row(At, latencyMs: 900));
        aggregate.Add(MetricsTestbed.Row(At, status: "error", errorType: "rate_limited", latencyMs: 0) with { Count = 41 });

        Assert.Equal((42L, 41L), (aggregate.Count, aggregate.ErrorCount));
        Assert.Equal(new Dictionary<string, long> { ["rate_limited"] = 41 }, aggregate.ErrorTypes);
        Assert.Equal(1, aggregate.Latency.Count);
    }

    [Fact]
    public void A_cancelled_chat_is_a_request_but_neither_an_error_nor_a_latency_sample()
    {
        var aggregate = new MetricAggregate();
        aggregate.Add(MetricsTestbed.Row(At, latencyMs: 900));
        aggregate.Add(MetricsTestbed.Row(At, status: "cancelled", errorType: "cancelled", latencyMs: 20));

        Assert.Equal((2L, 0L, 0.0), (aggregate.Count, aggregate.ErrorCount, aggregate.ErrorRate));
        Assert.Empty(aggregate.ErrorTypes);
        Assert.Equal(1, aggregate.Latency.Count);
        Assert.Equal(900, aggregate.Latency.Quantile(0.5), 900 * 0.01);
    }

    [Fact]
    public void Merging_in_any_grouping_equals_adding_every_row_and_survives_the_stored_form()
    {
        var rows = Enumerable.Range(0, 90).Select(i => MetricsTestbed.Row(
            At.AddSeconds(i),
            status: i % 7 == 0 ? "error" : "ok",
            errorType: i % 7 == 0 ? "llm_timeout" : null,
            latencyMs: 30 + (i * 97 % 5000),
            scores: new Dictionary<string, double> { ["relevance"] = i % 10 / 10.0 })).ToList();
        var all = new MetricAggregate();
        rows.ForEach(all.Add);
        var parts = rows.Chunk(30).Select(chunk =>
        {
            var part = new MetricAggregate();
            foreach (var row in chunk)
            {
                part.Add(row);
            }

            // Through the stored form, as an hour merges its minutes.
            var entity = RollupRowCodec.ToEntity("m-x-202611020000", "k", At, null, part);
            return RollupRowCodec.AggregateOf(entity);
        }).ToList();
        var merged = new MetricAggregate();
        merged.Merge(parts[2]);
        var firstTwo = new MetricAggregate();
        firstTwo.Merge(parts[0]);
        firstTwo.Merge(parts[1]);
        merged.Merge(firstTwo);

        Assert.Equal((all.Count, all.ErrorCount, all.InputTokens, all.OutputTokens), (merged.Count, merged.ErrorCount, merged.InputTokens, merged.OutputTokens));
        Assert.Equal(all.ErrorTypes, merged.ErrorTypes);
        Assert.Equal(all.CostUsd, merged.CostUsd, 12);
        Assert.Equal(all.Latency.ToBytes(), merged.Latency.ToBytes());
        Assert.Equal(all.Scores["relevance"].Bins, merged.Scores["relevance"].Bins);
        Assert.Equal(all.Scores["relevance"].Mean, merged.Scores["relevance"].Mean, 12);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.099, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.95, 9)]
    [InlineData(1.0, 9)]
    [InlineData(1.7, 9)]
    [InlineData(-0.2, 0)]
    public void Scores_fall_in_tenths_with_one_in_the_last(double value, int bin) =>
        Assert.Equal(bin, ScoreSummary.BinOf(value));
}
