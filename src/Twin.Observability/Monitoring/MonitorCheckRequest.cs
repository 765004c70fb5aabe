namespace Twin.Observability.Monitoring;

/// <summary>
/// The body of <c>POST /api/manage/monitoring/checks</c> (API.md "Synthetic monitoring"): a twin check
/// (<see cref="TwinId"/>: a chat through the app's own public chat endpoint) or a URL check (<see cref="Url"/>: a GET
/// of an external URL), with its expectations.
/// </summary>
public sealed record MonitorCheckRequest
{
    public string? Name { get; init; }

    public string? TwinId { get; init; }

    public string? Url { get; init; }

    public string? Message { get; init; }

    public int? ExpectStatus { get; init; }

    public string? ExpectContains { get; init; }

    public int? MaxLatencyMs { get; init; }

    public double? MinScore { get; init; }

    public int? IntervalMinutes { get; init; }

    public bool? Enabled { get; init; }
}
