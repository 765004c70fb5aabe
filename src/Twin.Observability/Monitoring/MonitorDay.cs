using Twin.Observability.Metrics;

namespace Twin.Observability.Monitoring;

/// <summary>
/// One check's runs on one UTC day (a <c>MonitorDays</c> row): how many ran, how many failed, and a sketch of their
/// latencies, so uptime and percentiles over 30 days read 30 rows instead of every result.
/// </summary>
public sealed record MonitorDay(string CheckId, DateOnly Day, string? TwinId, long Runs, long Failures, LatencySketch Latency);
