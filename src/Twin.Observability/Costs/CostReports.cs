using Twin.Observability.Metrics;

namespace Twin.Observability.Costs;

/// <summary>The answers of <c>/api/manage/costs/summary</c> and <c>/costs/models</c>.</summary>
public sealed record CostSummary(
    Header Query,
    string GroupBy,
    double CostUsd,
    long Requests,
    long InputTokens,
    long OutputTokens,
    IReadOnlyList<CostGroup> Groups,
    IReadOnlyList<BudgetStatus> Budgets);

public sealed record CostGroup(string Key, double CostUsd, long Requests, long InputTokens, long OutputTokens)
{
    public static CostGroup Of(string key, MetricAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        return new(key, Math.Round(aggregate.CostUsd, 6), aggregate.Count, aggregate.InputTokens, aggregate.OutputTokens);
    }
}

/// <summary>A twin's spend this calendar month (UTC) against its budget: <c>ok</c>, <c>warning</c> or <c>exceeded</c>.</summary>
public sealed record BudgetStatus(string TwinId, string Month, decimal BudgetUsd, double SpentUsd, double PercentUsed, string Status);

public sealed record CostModels(Header Query, IReadOnlyList<ModelPrices> Prices, IReadOnlyList<CostGroup> Models);

/// <summary>A model's current price and the earlier ones.</summary>
public sealed record ModelPrices(string Model, PriceEntry Current, IReadOnlyList<PriceEntry> History);
