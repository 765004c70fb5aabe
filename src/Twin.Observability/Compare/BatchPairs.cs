using Twin.Observability.Common;

namespace Twin.Observability.Compare;

/// <summary>
/// The pairs a batch request asks for, checked whole: one form or the other, at most
/// <see cref="CompareBatchRequest.MaxComparisons"/> comparisons, and every id well-formed (each error names its field).
/// </summary>
public static class BatchPairs
{
    public static IReadOnlyList<(ChatRef A, ChatRef B)> Of(CompareBatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        var pairs = new List<(ChatRef A, ChatRef B)>();
        var usesPairs = request.Pairs is not null;
        var usesBaseline = request.TraceIds is not null || request.BaselineId is not null;
        if (usesPairs == usesBaseline)
        {
            errors.Add("body", "send either pairs ([[a, b], …]) or traceIds with a baselineId.");
            errors.ThrowIfAny();
        }

        var count = usesPairs ? request.Pairs!.Count : request.TraceIds?.Count ?? 0;
        if (count is 0 or > CompareBatchRequest.MaxComparisons)
        {
            errors.Add(usesPairs ? "pairs" : "traceIds", $"must hold 1 to {CompareBatchRequest.MaxComparisons} comparisons.");
            errors.ThrowIfAny();
        }

        if (usesPairs)
        {
            for (var i = 0; i < request.Pairs!.Count; i++)
            {
                if (request.Pairs[i] is not { Count: 2 } pair)
                {
                    errors.Add($"pairs[{i}]", "must be two ids: [a, b].");
                    continue;
                }

                var a = ChatRef.Parse(pair[0], $"pairs[{i}][0]", errors);
                var b = ChatRef.Parse(pair[1], $"pairs[{i}][1]", errors);
                if (a is not null && b is not null)
                {
                    pairs.Add((a, b));
                }
            }
        }
        else
        {
            var baseline = ChatRef.Parse(request.BaselineId, "baselineId", errors);
            for (var i = 0; i < request.TraceIds!.Count; i++)
            {
                if (ChatRef.Parse(request.TraceIds[i], $"traceIds[{i}]", errors) is { } candidate && baseline is not null)
                {
                    pairs.Add((baseline, candidate));
                }
            }
        }

        errors.ThrowIfAny();
        return pairs;
    }
}
