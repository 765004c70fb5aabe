using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twin.Regress;

// The app's regression API, as this tool reads it (camelCase JSON). Every field is optional on the way in:
// a missing field prints as "-" rather than failing the gate on a parse error.

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

internal static class RunStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
}

internal static class Verdicts
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Inconclusive = "inconclusive";
}

internal sealed record StartRequest(
    string Dataset,
    string TwinId,
    string? PromptLabel,
    int? PromptVersion,
    string? Model,
    string? Baseline,
    int? MaxItems,
    string? Name,
    bool? FewShot);

internal sealed record SaveBaselineRequest(string Name, string TestId);

internal sealed record StartResponse(string? Id, string? StatusUrl);

internal sealed record RunStatus(
    string? Id,
    string? Name,
    string? Status,
    string? Dataset,
    string? TwinId,
    string? CreatedAt,
    string? FinishedAt,
    Progress? Progress,
    Dictionary<string, MetricStats>? Metrics,
    double? PassRate,
    LatencyStats? LatencyMs,
    double? CostUsd,
    Comparison? Comparison,
    string? Verdict,
    string? Reason,
    string? Error);

// Total is null until the run has listed its items (status queued).
internal sealed record Progress(int? Total, int Done, int Failed);

internal sealed record MetricStats(double? Mean, double? P50, double? Min, int? Count);

internal sealed record LatencyStats(double? Mean, double? P50);

internal sealed record Comparison(
    BaselineRef? Baseline,
    List<MetricComparison>? Metrics,
    List<Regression>? Regressions,
    string? Verdict,
    string? Reason);

internal sealed record BaselineRef(string? Name, JsonElement? Version, string? TestId);

internal sealed record MetricComparison(
    string? Metric,
    int? Pairs,
    double? BaselineMean,
    double? CandidateMean,
    double? Delta,
    double? PValue,
    double? CiLow,
    double? CiHigh,
    double? Tolerance,
    string? Outcome);

internal sealed record Regression(string? ItemId, string? Metric, double? Baseline, double? Candidate);

internal sealed record Problem(string? Title, string? Detail, int? Status, JsonElement? Errors);
