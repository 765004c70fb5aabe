using Twin.Observability.Metrics;

namespace Twin.Observability.Dashboard;

/// <summary>
/// The dashboard's headline numbers over a range (<c>GET /api/dashboard/overview</c>), each beside its value over the
/// previous period of the same length (<see cref="MetricsRange.Previous"/>). Built from the same
/// <see cref="DashboardMetrics"/> as <c>/api/metrics/dashboard</c>, so the two never disagree.
/// </summary>
public sealed record OverviewReport(
    Header Query,
    Header PreviousQuery,
    Headline Requests,
    Headline Errors,
    Headline ErrorRate,
    Headline LatencyP50Ms,
    Headline LatencyP95Ms,
    Headline CostUsd,
    Headline Tokens,
    IReadOnlyDictionary<string, Headline> Scores)
{
    public static OverviewReport Of(DashboardMetrics current, DashboardMetrics previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var scores = new SortedDictionary<string, Headline>(StringComparer.Ordinal);
        foreach (var name in current.Scores.Keys.Union(previous.Scores.Keys, StringComparer.Ordinal))
        {
            scores[name] = Headline.Of(current.Scores.GetValueOrDefault(name)?.Mean, previous.Scores.GetValueOrDefault(name)?.Mean);
        }

        return new OverviewReport(
            current.Query,
            previous.Query,
            Headline.Of(current.Requests, previous.Requests),
            Headline.Of(current.Errors, previous.Errors),
            Headline.Of(current.ErrorRate, previous.ErrorRate),
            Headline.Of(current.Latency.P50, previous.Latency.P50),
            Headline.Of(current.Latency.P95, previous.Latency.P95),
            Headline.Of(current.CostUsd, previous.CostUsd),
            Headline.Of(current.Tokens.Total, previous.Tokens.Total),
            scores);
    }
}

/// <summary>
/// One headline number: its value over the range, over the previous period, and the change between them.
/// <see cref="Change"/> is null when either value is missing (no successful request, no score); <see cref="ChangePercent"/>
/// is also null when the previous value is 0, where a percentage means nothing.
/// </summary>
public sealed record Headline(double? Value, double? Previous, double? Change, double? ChangePercent)
{
    public static Headline Of(double? value, double? previous)
    {
        if (value is not { } now || previous is not { } before)
        {
            return new Headline(value, previous, null, null);
        }

        return new Headline(
            value,
            previous,
            Math.Round(now - before, 6),
            before == 0 ? null : Math.Round((now - before) / Math.Abs(before) * 100, 2));
    }
}
