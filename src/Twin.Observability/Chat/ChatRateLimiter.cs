using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Chat;

/// <summary>
/// Fixed one-minute windows per <see cref="ChatLimit"/> and key. In memory, so per instance; a gateway in front (API
/// Management, Front Door) gives a global limit when the app scales out. Idle keys are dropped by the partitioned
/// limiter, so a flood of new keys does not grow memory for long.
/// </summary>
public sealed class ChatRateLimiter : IDisposable
{
    private readonly Dictionary<ChatLimit, PartitionedRateLimiter<string>> _limiters;

    public ChatRateLimiter(IOptions<ChatRateLimitOptions> options)
        : this(options.Value, TimeSpan.FromMinutes(1))
    {
    }

    internal ChatRateLimiter(ChatRateLimitOptions limits, TimeSpan window)
    {
        _limiters = new Dictionary<ChatLimit, PartitionedRateLimiter<string>>
        {
            [ChatLimit.ClientAddress] = Window(window, limits.ClientAddressPerMinute),
            [ChatLimit.Visitor] = Window(window, limits.VisitorPerMinute),
            [ChatLimit.ShareLink] = Window(window, limits.ShareLinkPerMinute),
            [ChatLimit.Twin] = Window(window, limits.TwinPerMinute),
            [ChatLimit.User] = Window(window, limits.UserPerMinute),
            [ChatLimit.FailedCredentials] = Window(window, limits.FailedCredentialsPerMinute),
        };
    }

    /// <summary>Takes one permit for <paramref name="key"/>, or throws a rate-limited failure saying when to retry.</summary>
    public void Acquire(ChatLimit limit, string key)
    {
        if (TryAcquire(limit, key) is { } refused)
        {
            throw refused;
        }
    }

    /// <summary>Takes one permit for <paramref name="key"/>; returns null, or the rate-limited failure to raise when the caller is ready to answer.</summary>
    public ChatFailedException? TryAcquire(ChatLimit limit, string key) => Refusal(_limiters[limit].AttemptAcquire(key, 1));

    /// <summary>Throws the rate-limited failure when <paramref name="key"/> has no permit left, without taking one.</summary>
    public void EnsureAvailable(ChatLimit limit, string key)
    {
        if (Refusal(_limiters[limit].AttemptAcquire(key, 0)) is { } refused)
        {
            throw refused;
        }
    }

    /// <summary>Takes a permit if one is left, never throwing: counts an event (a refused credential) against the key.</summary>
    public void Count(ChatLimit limit, string key) => _limiters[limit].AttemptAcquire(key, 1).Dispose();

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static ChatFailedException? Refusal(RateLimitLease lease)
    {
        using (lease)
        {
            if (lease.IsAcquired)
            {
                return null;
            }

            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            return new ChatFailedException(ChatErrorTypes.RateLimited, "Too many messages; wait a moment and try again.") { RetryAfter = retryAfter };
        }
    }

    private static PartitionedRateLimiter<string> Window(TimeSpan window, int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            // The partitioned limiter's own heartbeat replenishes its partitions; a timer per key would not scale.
            AutoReplenishment = false,
        }));
}
