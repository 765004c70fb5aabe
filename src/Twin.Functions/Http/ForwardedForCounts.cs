using System.Globalization;

namespace Twin.Functions.Http;

/// <summary>
/// How many addresses (<see cref="ForwardedFor.Addresses"/>) the worker's last <see cref="Window"/> requests came
/// through, so the admin view of health can show whether <c>Http:TrustedProxyHops</c> matches what the proxies really
/// append. Only this instance's requests count; a ring of small counts, so recording is one increment and one write.
/// </summary>
public sealed class ForwardedForCounts
{
    public const int Window = 1000;

    /// <summary>Counts from here up share one bucket ("10+"): the hop count is at most 10, so more says nothing new.</summary>
    public const int TopBucket = 10;

    private readonly byte[] _entries = new byte[Window];
    private long _recorded;

    public void Record(int addresses)
    {
        var slot = (Interlocked.Increment(ref _recorded) - 1) % Window;
        Volatile.Write(ref _entries[slot], (byte)Math.Clamp(addresses, 0, TopBucket));
    }

    /// <summary>The recent requests counted and how many came through each number of addresses (keys "0" … "9", "10+").</summary>
    public ForwardedForSnapshot Snapshot(int trustedProxyHops)
    {
        var requests = (int)Math.Min(Interlocked.Read(ref _recorded), Window);
        var buckets = new int[TopBucket + 1];
        for (var i = 0; i < requests; i++)
        {
            buckets[Volatile.Read(ref _entries[i])]++;
        }

        var histogram = new Dictionary<string, int>();
        for (var count = 0; count <= TopBucket; count++)
        {
            if (buckets[count] > 0)
            {
                histogram[count == TopBucket ? $"{TopBucket}+" : count.ToString(CultureInfo.InvariantCulture)] = buckets[count];
            }
        }

        return new ForwardedForSnapshot(requests, histogram, buckets.Take(trustedProxyHops).Sum(), buckets.Skip(trustedProxyHops + 1).Sum());
    }
}

/// <summary>Recent requests by how many addresses they came through, and how many came through fewer or more than the trusted hops.</summary>
public sealed record ForwardedForSnapshot(int Requests, IReadOnlyDictionary<string, int> Addresses, int FewerThanHops, int MoreThanHops);
