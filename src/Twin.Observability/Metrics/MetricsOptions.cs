using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Metrics;

/// <summary>The <c>Metrics</c> section: when minutes are rolled up and how much one run may do.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// A minute is rolled up once it is this old: late ledger rows (a slow chat is written when it ends) land before
    /// it closes. Queries read the raw ledger after the watermark, so nothing waits for this to be counted.
    /// </summary>
    [Range(0, 3600)]
    public int SettleSeconds { get; set; } = 120;

    /// <summary>Minutes rolled up per batch; a run that fell behind catches up batch by batch.</summary>
    [Range(1, 1440)]
    public int BatchMinutes { get; set; } = 60;

    /// <summary>A run stops starting batches after this long (the timer fires every minute).</summary>
    [Range(1, 600)]
    public int RunBudgetSeconds { get; set; } = 45;

    /// <summary>
    /// Minutes of a batch written at once. Each minute is a few small transactions whose time is the storage round
    /// trip, so a catch-up is bound by latency, not by work, until several are in flight.
    /// </summary>
    [Range(1, 64)]
    public int WriteConcurrency { get; set; } = 8;

    /// <summary>Dirty minutes recomputed per run at most.</summary>
    [Range(1, 10_000)]
    public int MaxDirtyMinutesPerRun { get; set; } = 500;
}
