using Twin.Observability.Alerts;
using Twin.Observability.Metrics;
using Twin.Observability.Tests.Metrics;
using Xunit;
using static Twin.Observability.Tests.Alerts.Rules.AlertTestSupport;

namespace Twin.Observability.Tests.Alerts.Rules;

public sealed class AlertMetricReaderTests
{
    private static MetricAggregate Aggregate(params Twin.Observability.Ledger.LedgerEntry[] rows)
    {
        var aggregate = new MetricAggregate();
        foreach (var row in rows)
        {
            aggregate.Add(row);
        }

        return aggregate;
    }

    [Fact]
    public void Error_rate_is_errors_over_requests()
    {
        var total = Aggregate(
            MetricsTestbed.Row(T0), MetricsTestbed.Row(T0), MetricsTestbed.Row(T0),
            MetricsTestbed.Row(T0, status: "error", errorType: "rate_limited"));

        var (value, samples) = AlertMetricReader.ValueOf("error_rate", total);

        Assert.Equal(0.25, value);
        Assert.Equal(4, samples);
    }

    [Fact]
    public void Latency_percentiles_count_only_successful_rows()
    {
        // Ok rows at 100, 200, … 1000 ms; errors answered in 1 ms would drag the percentiles down if they counted.
        var rows = Enumerable.Range(1, 10).Select(i => MetricsTestbed.Row(T0, latencyMs: i * 100))
            .Concat(Enumerable.Range(0, 10).Select(_ => MetricsTestbed.Row(T0, status: "error", latencyMs: 1, errorType: "timeout")))
            .ToArray();
        var total = Aggregate(rows);

        var (p50, p50Samples) = AlertMetricReader.ValueOf("latency_p50_ms", total);
        var (p95, p95Samples) = AlertMetricReader.ValueOf("latency_p95_ms", total);

        // Lower rank: p50 is rank floor(0.5·9) = 4 → 500 ms, p95 rank floor(0.95·9) = 8 → 900 ms, within the sketch's 1 %.
        Assert.InRange(p50!.Value, 495, 505);
        Assert.InRange(p95!.Value, 891, 909);
        Assert.Equal(10, p50Samples);
        Assert.Equal(10, p95Samples);
    }

    [Fact]
    public void Latency_of_only_errors_is_no_data()
    {
        var total = Aggregate(MetricsTestbed.Row(T0, status: "error", errorType: "timeout"));

        Assert.Equal((null, 0), AlertMetricReader.ValueOf("latency_p95_ms", total));
    }

    [Fact]
    public void Request_count_of_no_rows_is_zero_not_no_data()
    {
        Assert.Equal((0d, 0L), AlertMetricReader.ValueOf("request_count", new MetricAggregate()));
    }

    [Fact]
    public void Request_count_and_cost_add_up()
    {
        var total = Aggregate(MetricsTestbed.Row(T0, cost: 0.25m), MetricsTestbed.Row(T0, cost: 0.5m), MetricsTestbed.Row(T0, status: "error", errorType: "x"));

        Assert.Equal((3d, 3L), AlertMetricReader.ValueOf("request_count", total));
        Assert.Equal(0.75, AlertMetricReader.ValueOf("cost_usd", total).Value!.Value, 9);
    }

    [Fact]
    public void Error_rate_of_no_rows_is_no_data()
    {
        Assert.Equal((null, 0), AlertMetricReader.ValueOf("error_rate", new MetricAggregate()));
    }

    [Fact]
    public void Average_score_is_the_mean_of_that_score()
    {
        var total = Aggregate(
            MetricsTestbed.Row(T0, scores: new Dictionary<string, double> { ["helpfulness"] = 0.5, ["tone"] = 1 }),
            MetricsTestbed.Row(T0, scores: new Dictionary<string, double> { ["helpfulness"] = 1.0 }),
            MetricsTestbed.Row(T0));

        var (value, samples) = AlertMetricReader.ValueOf("avg_score:helpfulness", total);

        Assert.Equal(0.75, value!.Value, 9);
        Assert.Equal(2, samples);
    }

    [Fact]
    public void Average_of_a_missing_score_is_no_data()
    {
        var total = Aggregate(MetricsTestbed.Row(T0, scores: new Dictionary<string, double> { ["tone"] = 1 }));

        Assert.Equal((null, 0), AlertMetricReader.ValueOf("avg_score:helpfulness", total));
    }

    // synthetic_failure_rate is read from the checks' results, not from chats (AlertsApiTests fires on it).
    [Fact]
    public void Every_chat_metric_a_rule_may_name_can_be_read_from_an_aggregate()
    {
        var total = Aggregate(MetricsTestbed.Row(T0));

        foreach (var metric in AlertRuleValues.Metrics.Where(m => !m.StartsWith(AlertRuleValues.ScorePrefix, StringComparison.Ordinal) && m != "synthetic_failure_rate"))
        {
            var exception = Record.Exception(() => AlertMetricReader.ValueOf(metric, total));
            Assert.True(exception is null, $"{metric}: {exception?.Message}");
        }
    }

    [Fact]
    public void An_unknown_metric_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertMetricReader.ValueOf("p99", new MetricAggregate()));
    }
}
