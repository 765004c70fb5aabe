using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Twins;
using Xunit;

namespace Twin.Observability.Tests.Twins;

/// <summary>The widget's origins without storage: only twins that were read, for at most 30 s, dropped when changed.</summary>
public sealed class TwinOriginCacheTests
{
    private static readonly TwinProfile Twin = new("ada", "Ada", "I am Ada.", [], null, null, ["https://a.example"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");

    [Fact]
    public void A_remembered_twin_answers_its_allowed_origins_normalised_until_it_is_30_seconds_old()
    {
        var clock = new FakeTimeProvider();
        var cache = new TwinOriginCache(clock);
        cache.Remember(Twin);

        Assert.Equal("https://a.example", cache.AllowedOrigin("ada", "https://A.example/"));
        Assert.Null(cache.AllowedOrigin("ada", "https://b.example"));
        Assert.Null(cache.AllowedOrigin("bob", "https://a.example"));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.Knows("ada"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.Knows("ada"));
        Assert.Null(cache.AllowedOrigin("ada", "https://a.example"));
    }

    [Fact]
    public void A_forgotten_twin_is_unknown_at_once()
    {
        var cache = new TwinOriginCache(new FakeTimeProvider());
        cache.Remember(Twin);

        cache.Forget("ada");

        Assert.False(cache.Knows("ada"));
        Assert.Null(cache.OriginsOf("ada"));
    }
}
