using Twin.Observability.Metrics;
using Twin.Observability.Monitoring;

namespace Twin.Observability.Alerts;

/// <summary>
/// Reads a rule's metric over its window, ending with the current minute, through the metrics query (rollups before
/// the watermark, raw ledger rows after it, so a chat counts the moment it is written), and
/// <c>synthetic_failure_rate</c> from the synthetic checks' results (failed runs / runs). <c>increase_pct</c> also
/// reads the same window a day or a week earlier.
/// </summary>
public sealed class AlertMetricReader(MetricsQuery query, MonitorResultStore synthetic)
{
    public async Task<AlertReading> ReadAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var to = RollupGranularity.Minute.Floor(now) + TimeSpan.FromMinutes(1);
        var from = to - TimeSpan.FromMinutes(rule.WindowMinutes);
        var (value, samples) = await ValueAsync(rule, from, to, cancellationToken).ConfigureAwait(false);
        if (rule.Comparator != "increase_pct")
        {
            return new AlertReading(value, samples);
        }

        var offset = rule.Baseline == "week" ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
        var (baseline, _) = await ValueAsync(rule, from - offset, to - offset, cancellationToken).ConfigureAwait(false);
        return new AlertReading(value, samples, baseline);
    }

    private async Task<(double? Value, long Samples)> ValueAsync(AlertRule rule, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        if (rule.Metric == "synthetic_failure_rate")
        {
            var (runs, failures) = await synthetic.CountsAsync(rule.TwinId, from, to, cancellationToken).ConfigureAwait(false);
            return (runs == 0 ? null : (double)failures / runs, runs);
        }

        var slice = await query.QueryAsync(new MetricsRange(from, to, rule.TwinId, RollupGranularity.Day), cancellationToken).ConfigureAwait(false);
        return ValueOf(rule.Metric, slice.Total);
    }

    /// <summary>A metric of an aggregate; null when it has nothing to say (a rate of no requests, a percentile of no latencies).</summary>
    public static (double? Value, long Samples) ValueOf(string metric, MetricAggregate total)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(total);
        if (metric.StartsWith(AlertRuleValues.ScorePrefix, StringComparison.Ordinal))
        {
            return total.Scores.TryGetValue(metric[AlertRuleValues.ScorePrefix.Length..], out var score) && score.Count > 0
                ? (score.Mean, score.Count)
                : (null, 0);
        }

        return metric switch
        {
            "error_rate" => (total.Count == 0 ? null : total.ErrorRate, total.Count),
            "latency_p50_ms" => (total.Latency.Count == 0 ? null : total.Latency.Quantile(0.5), total.Latency.Count),
            "latency_p95_ms" => (total.Latency.Count == 0 ? null : total.Latency.Quantile(0.95), total.Latency.Count),
            "request_count" => (total.Count, total.Count),
            "cost_usd" => (total.CostUsd, total.Count),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a metric the metrics query answers."),
        };
    }
}
