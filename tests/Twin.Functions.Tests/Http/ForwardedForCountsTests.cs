using Twin.Functions.Http;
using Xunit;

namespace Twin.Functions.Tests.Http;

public sealed class ForwardedForCountsTests
{
    [Fact]
    public void Requests_are_counted_by_addresses_and_against_the_hop_count()
    {
        var counts = new ForwardedForCounts();
        foreach (var addresses in new[] { 1, 2, 2, 3, 14 })
        {
            counts.Record(addresses);
        }

        var recent = counts.Snapshot(trustedProxyHops: 2);

        Assert.Equal(5, recent.Requests);
        Assert.Equal(new Dictionary<string, int> { ["1"] = 1, ["2"] = 2, ["3"] = 1, ["10+"] = 1 }, recent.Addresses);
        Assert.Equal(1, recent.FewerThanHops);
        Assert.Equal(2, recent.MoreThanHops);
    }

    [Fact]
    public void Only_the_last_window_of_requests_counts()
    {
        var counts = new ForwardedForCounts();
        counts.Record(1);
        for (var i = 0; i < ForwardedForCounts.Window; i++)
        {
            counts.Record(2);
        }

        var recent = counts.Snapshot(trustedProxyHops: 2);

        Assert.Equal(ForwardedForCounts.Window, recent.Requests);
        Assert.Equal(new Dictionary<string, int> { ["2"] = ForwardedForCounts.Window }, recent.Addresses);
        Assert.Equal(0, recent.FewerThanHops);
    }
}
