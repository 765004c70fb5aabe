namespace Twin.Observability.Metrics;

/// <summary>
/// How far rollups go. Minutes before <see cref="Done"/> are rolled up (hours and days too, once wholly before it);
/// queries read rollups there and the raw ledger after. <see cref="Claimed"/> is where the run in progress (or one
/// that died) will have rolled up to: a score recorded for a minute before it marks that minute dirty, because the
/// run may already have read the minute's rows.
/// </summary>
public sealed record RollupWatermark(DateTimeOffset Done, DateTimeOffset Claimed, Azure.ETag ETag);
