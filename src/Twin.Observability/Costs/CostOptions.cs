using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Costs;

/// <summary>The <c>Costs</c> section: monthly budgets per twin.</summary>
public sealed class CostOptions
{
    public const string SectionName = "Costs";

    /// <summary>USD per calendar month (UTC) by twin id: <c>Costs:Budgets:{twinId}</c>.</summary>
    public Dictionary<string, decimal> Budgets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A budget is <c>warning</c> from this share spent, <c>exceeded</c> past all of it.</summary>
    [Range(1, 100)]
    public int BudgetWarningPercent { get; set; } = 80;
}
