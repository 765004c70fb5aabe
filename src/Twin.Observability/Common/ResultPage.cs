namespace Twin.Observability.Common;

/// <summary>A page of results and the opaque token that fetches the next one (null on the last page).</summary>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, string? ContinuationToken)
{
    public ResultPage<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), ContinuationToken);
}
