namespace Twin.Observability.Common;

/// <summary>One page of a list: <c>limit</c> (default 50, at most 500) and the opaque token of the previous page.</summary>
public sealed record PageRequest(int Limit, string? ContinuationToken)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static PageRequest First { get; } = new(DefaultLimit, null);

    /// <summary>Reads the list query parameters as given by a caller, validating them.</summary>
    public static PageRequest Parse(string? limit, string? continuationToken)
    {
        var value = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)
                || value is < 1 or > MaxLimit))
        {
            throw new RequestValidationException("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        return new PageRequest(value, string.IsNullOrEmpty(continuationToken) ? null : continuationToken);
    }
}
