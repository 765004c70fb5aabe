namespace Twin.Observability.Alerts;

/// <summary>
/// One line of <c>GET /api/manage/alerts/history</c>: a state change (<see cref="Kind"/> <c>transition</c>, with
/// <see cref="From"/>, <see cref="To"/> and the value) or one notification attempt (<c>notification</c>, with the
/// channel, whether it was delivered, after how many attempts, and the last status or error).
/// </summary>
public sealed record AlertHistoryEntry
{
    public required string Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Kind { get; init; }

    public required string RuleId { get; init; }

    public string? RuleName { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public double? Value { get; init; }

    public double? Threshold { get; init; }

    /// <summary>For notifications: firing, renotify, warning or resolved.</summary>
    public string? Event { get; init; }

    public string? NotificationId { get; init; }

    public string? Channel { get; init; }

    public string? Target { get; init; }

    public bool? Delivered { get; init; }

    public int? Attempts { get; init; }

    public int? StatusCode { get; init; }

    public string? Detail { get; init; }
}
