using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Metrics;

namespace Twin.Observability.Costs;

/// <summary>Cost over a range by day, model or twin, budgets, and the price table, from the same rollups as metrics.</summary>
public sealed class CostService(MetricsQuery metrics, PriceTable prices, IOptions<CostOptions> options, TimeProvider time)
{
    public async Task<CostSummary> SummaryAsync(MetricsRange range, string? groupBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var by = (groupBy ?? "day").Trim().ToLowerInvariant();
        IReadOnlyList<CostGroup> groups;
        MetricAggregate total;
        MetricsSource source;
        switch (by)
        {
            case "day":
                var slice = await metrics.QueryAsync(range with { Interval = RollupGranularity.Day }, cancellationToken).ConfigureAwait(false);
                groups = slice.Buckets.Select(b => CostGroup.Of(b.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), b.Aggregate)).ToList();
                (total, source, range) = (slice.Total, slice.Source, slice.Range);
                break;
            case "model" or "twin":
                var (byKey, read) = await metrics.QueryGroupsAsync(range, d => by == "model" ? d.Model : d.Twin, cancellationToken).ConfigureAwait(false);
                groups = byKey.Select(g => CostGroup.Of(g.Key, g.Value)).OrderByDescending(g => g.CostUsd).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
                total = new MetricAggregate();
                foreach (var aggregate in byKey.Values)
                {
                    total.Merge(aggregate);
                }

                source = read;
                break;
            default:
                throw new RequestValidationException("groupBy", "must be day, model or twin.");
        }

        var budgets = await BudgetsAsync(range.TwinId, cancellationToken).ConfigureAwait(false);
        return new CostSummary(
            new Header(range.From, range.To, range.TwinId, range.Interval.ToString().ToLowerInvariant(), source),
            by,
            Math.Round(total.CostUsd, 6),
            total.Count,
            total.InputTokens,
            total.OutputTokens,
            groups,
            budgets);
    }

    public async Task<CostModels> ModelsAsync(MetricsRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var table = await prices.ListAsync(cancellationToken).ConfigureAwait(false);
        var (byModel, source) = await metrics.QueryGroupsAsync(range, d => d.Model.Length == 0 ? null : d.Model, cancellationToken).ConfigureAwait(false);
        var models = table.GroupBy(p => p.Model, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(p => p.EffectiveFrom).ToList())
            .Select(history => new ModelPrices(history[^1].Model, history[^1], history.Take(history.Count - 1).ToList()))
            .ToList();
        return new CostModels(
            new Header(range.From, range.To, range.TwinId, range.Interval.ToString().ToLowerInvariant(), source),
            models,
            byModel.Select(g => CostGroup.Of(g.Key, g.Value)).OrderByDescending(g => g.CostUsd).ThenBy(g => g.Key, StringComparer.Ordinal).ToList());
    }

    /// <summary>Each configured budget (only <paramref name="twinId"/>'s when given) against this month's spend.</summary>
    public async Task<IReadOnlyList<BudgetStatus>> BudgetsAsync(string? twinId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var statuses = new List<BudgetStatus>();
        foreach (var (twin, budget) in options.Value.Budgets.Where(b => twinId is null || b.Key == twinId).OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var to = RollupGranularity.Minute.Floor(now) + TimeSpan.FromMinutes(1);
            var slice = await metrics.QueryAsync(new MetricsRange(month, to, twin, RollupGranularity.Day), cancellationToken).ConfigureAwait(false);
            var spent = Math.Round(slice.Total.CostUsd, 6);
            var percent = budget <= 0 ? 100 : Math.Round(spent / (double)budget * 100, 1);
            var status = percent > 100 ? "exceeded" : percent >= options.Value.BudgetWarningPercent ? "warning" : "ok";
            statuses.Add(new BudgetStatus(twin, month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), budget, spent, percent, status));
        }

        return statuses;
    }
}
