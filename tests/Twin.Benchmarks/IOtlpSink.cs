namespace Twin.Benchmarks;

/// <summary>Where the measured app exports to: the loopback receiver, in this process or in one of its own.</summary>
internal interface IOtlpSink : IAsyncDisposable
{
    string BaseUrl { get; }

    Task ResetAsync();

    Task<OtlpSinkStats> StatsAsync();
}

/// <summary>What the sink received since its last reset.</summary>
internal sealed record OtlpSinkStats(long Requests, long Bytes, long Spans);
