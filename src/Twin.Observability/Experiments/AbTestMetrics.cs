using System.Text.RegularExpressions;

namespace Twin.Observability.Experiments;

/// <summary>
/// What an A/B test can measure per chat: a score (a judge's, feedback, or a user-defined one), the latency and cost of
/// successful chats, or the error rate of all chats. Rates are compared as proportions, the rest as means.
/// </summary>
public static partial class AbTestMetrics
{
    public const string LatencyMs = "latency_ms";
    public const string CostUsd = "cost_usd";
    public const string ErrorRate = "error_rate";

    /// <summary>Whether a smaller value is better (latency, cost, errors), so "wins" means lower.</summary>
    public static bool LowerIsBetter(string metric) => metric is LatencyMs or CostUsd or ErrorRate;

    public static bool IsRate(string metric) => metric == ErrorRate;

    public static bool IsValid(string? metric) => metric is LatencyMs or CostUsd or ErrorRate || (metric is not null && ScoreName().IsMatch(metric));

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScoreName();
}
