using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// The <c>Alerts:Send</c> section: how hard one notification is pushed to one channel. Defaults: 3 attempts, 10 s
/// each, exponential back-off from 500 ms with jitter, a Retry-After (429, 503) honoured up to 30 s. The worst case is
/// then about 3 × 10 s + 2 × 30 s, so a dead channel never holds an evaluation long.
/// </summary>
public sealed class AlertsSendOptions
{
    public const string SectionName = "Alerts:Send";

    /// <summary>Attempts in all, the first included (1 = no retry). Retried: 5xx, 408, 429, network errors and timeouts.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Time one attempt may take before it is abandoned (and retried). Default 10,000 ms.</summary>
    [Range(50, 120_000)]
    public int AttemptTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>Delay before the first retry; it doubles for each next one (with jitter). Default 500 ms.</summary>
    [Range(0, 60_000)]
    public int BaseDelayMilliseconds { get; set; } = 500;

    /// <summary>Longest wait between attempts, also the cap on a receiver's Retry-After. Default 30,000 ms.</summary>
    [Range(0, 300_000)]
    public int MaxDelayMilliseconds { get; set; } = 30_000;

    public TimeSpan AttemptTimeout => TimeSpan.FromMilliseconds(AttemptTimeoutMilliseconds);

    public TimeSpan BaseDelay => TimeSpan.FromMilliseconds(BaseDelayMilliseconds);

    public TimeSpan MaxDelay => TimeSpan.FromMilliseconds(MaxDelayMilliseconds);

    /// <summary>The longest one send can take with these options, plus a margin: the sender's own backstop.</summary>
    public TimeSpan WorstCase => (AttemptTimeout * MaxAttempts) + (MaxDelay * (MaxAttempts - 1)) + TimeSpan.FromSeconds(5);
}
