using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Storage;

/// <summary>
/// How the storage clients behave when storage misbehaves (section <c>Storage</c>). The defaults fail a request within
/// about a second when storage is down, instead of the SDK's default of several seconds of retries, so callers get a
/// prompt 503 they can retry; start-up creation retries on its own, slower schedule.
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Retries of one storage call after its first attempt (exponential back-off with jitter).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; doubles with each retry up to <see cref="MaxRetryDelayMilliseconds"/>.</summary>
    [Range(1, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 100;

    [Range(1, 60_000)]
    public int MaxRetryDelayMilliseconds { get; set; } = 400;

    /// <summary>How long one attempt may wait for storage to answer before it counts as failed.</summary>
    [Range(100, 300_000)]
    public int NetworkTimeoutMilliseconds { get; set; } = 3_000;

    /// <summary>How long the health check waits for storage in total.</summary>
    [Range(100, 60_000)]
    public int HealthTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>First delay before start-up creates the declared resources again after a failure (outage, 401/403).</summary>
    [Range(1, 3_600_000)]
    public int StartupRetryDelayMilliseconds { get; set; } = 1_000;

    /// <summary>Cap of the start-up retry delay, which doubles after each failure.</summary>
    [Range(1, 3_600_000)]
    public int StartupMaxRetryDelayMilliseconds { get; set; } = 60_000;

    public TimeSpan RetryDelay => TimeSpan.FromMilliseconds(RetryDelayMilliseconds);

    public TimeSpan MaxRetryDelay => TimeSpan.FromMilliseconds(MaxRetryDelayMilliseconds);

    public TimeSpan NetworkTimeout => TimeSpan.FromMilliseconds(NetworkTimeoutMilliseconds);

    public TimeSpan HealthTimeout => TimeSpan.FromMilliseconds(HealthTimeoutMilliseconds);
}
