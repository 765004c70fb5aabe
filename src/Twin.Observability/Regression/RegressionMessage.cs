namespace Twin.Observability.Regression;

/// <summary>
/// A message of the <c>regression-runs</c> queue: <c>plan</c> lists a run's items and fans them out, one <c>item</c>
/// message each, so a 1,000-item run spreads over instances and no invocation nears the function timeout.
/// </summary>
public sealed record RegressionMessage
{
    public const string Plan = "plan";
    public const string Item = "item";

    public required string Kind { get; init; }

    public required string RunId { get; init; }

    public string? ItemId { get; init; }

    /// <summary>An item message carries its item (a Storage message holds 64 KiB; chat messages are far shorter), so no invocation lists the dataset again.</summary>
    public string? Message { get; init; }

    public string? ExpectedReply { get; init; }
}
