namespace Twin.Observability.Compare;

/// <summary>
/// <c>POST /manage/traces/compare/batch</c>: either <see cref="Pairs"/> (<c>[[a, b], …]</c>) or <see cref="TraceIds"/>
/// each compared against <see cref="BaselineId"/> (the baseline is side a).
/// </summary>
public sealed class CompareBatchRequest
{
    public const int MaxComparisons = 100;

    public List<List<string?>?>? Pairs { get; set; }

    public List<string?>? TraceIds { get; set; }

    public string? BaselineId { get; set; }
}
