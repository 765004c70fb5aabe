using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Chat;

/// <summary>
/// Per-caller limits for the anonymous chat endpoints (widget visitors, share links): a fixed window of
/// <see cref="TwinChatOptions.RateLimitPerMinute"/> messages per minute per key. In memory, so per instance; a
/// gateway in front (API Management) gives a global limit when the app scales out.
/// </summary>
public sealed class ChatRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ChatRateLimiter(IOptions<TwinChatOptions> options)
    {
        var permits = options.Value.RateLimitPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one permit for <paramref name="key"/>, or throws a rate-limited failure saying when to retry.</summary>
    public void Acquire(string key)
    {
        using var lease = _limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            throw new ChatFailedException(ChatErrorTypes.RateLimited, "Too many messages; wait a moment and try again.") { RetryAfter = retryAfter };
        }
    }

    public void Dispose() => _limiter.Dispose();
}
