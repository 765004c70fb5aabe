using Twin.Observability.Chat;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Chat;

public sealed class ChatRateLimiterTests
{
    [Fact]
    public async Task A_spent_key_gets_its_permits_back_when_the_window_turns_without_a_timer_of_its_own()
    {
        using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { VisitorPerMinute = 1 }, TimeSpan.FromMilliseconds(200));
        limiter.Acquire(ChatLimit.Visitor, "v");

        var refused = Assert.Throws<ChatFailedException>(() => limiter.Acquire(ChatLimit.Visitor, "v"));
        Assert.Equal(ChatErrorTypes.RateLimited, refused.ErrorType);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);

        // The partitioned limiter's heartbeat (every 100 ms) replenishes; wait for the permit rather than guess its
        // phase, with a deadline a loaded machine cannot reach (the window is 200 ms).
        await Eventually.TrueAsync(() => limiter.TryAcquire(ChatLimit.Visitor, "v") is null, TimeSpan.FromSeconds(30), "the window turning");
    }

    [Fact]
    public void Checking_takes_no_permit_and_counting_never_throws()
    {
        using var limiter = new ChatRateLimiter(new ChatRateLimitOptions { FailedCredentialsPerMinute = 2 }, TimeSpan.FromMinutes(1));

        limiter.EnsureAvailable(ChatLimit.FailedCredentials, "a");
        limiter.EnsureAvailable(ChatLimit.FailedCredentials, "a");
        limiter.Count(ChatLimit.FailedCredentials, "a");
        limiter.Count(ChatLimit.FailedCredentials, "a");
        limiter.Count(ChatLimit.FailedCredentials, "a");

        Assert.Throws<ChatFailedException>(() => limiter.EnsureAvailable(ChatLimit.FailedCredentials, "a"));
        limiter.EnsureAvailable(ChatLimit.FailedCredentials, "b");
    }
}
