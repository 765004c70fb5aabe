namespace Twin.Observability.Metrics;

/// <summary>
/// The dimension set a rollup row aggregates over: every combination that occurs gets its own row, so any filter on
/// these reads rollups. Empty strings stand for "none" (a chat outside an A/B test, a failure before the model ran).
/// </summary>
public sealed record MetricDimensions(
    string Twin,
    string Endpoint,
    string Model,
    string Environment,
    string Prompt,
    string Experiment,
    string Variant)
{
    /// <summary>The prompt dimension: <c>{name}@{version}</c>, or the name alone, or empty.</summary>
    public static string PromptOf(string? name, int? version) =>
        string.IsNullOrEmpty(name) ? "" : version is { } v ? $"{name}@{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : name;
}
