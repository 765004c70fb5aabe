using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Twin.Benchmarks.Metrics;

/// <summary>
/// A Table client pipeline policy that tells where a query's time goes and what a rollup wrote, without touching
/// the code measured: it counts requests and the time from sending each to having its body (Azurite's work plus
/// loopback HTTP; the rest of a query's time is ours: decoding and merging), and counts the rollup rows in the
/// entity-group transactions sent to <c>MetricRollups</c> by granularity. Counting the table afterwards would
/// not do: on Azurite every page of a query scans the whole table, so counting a million rows takes longer than
/// writing them.
/// </summary>
internal sealed partial class StorageMeter : HttpPipelinePolicy
{
    private long _requests;
    private long _httpTicks;
    private long _minuteRows;
    private long _hourRows;
    private long _dayRows;

    public Reading Read() => new(
        Interlocked.Read(ref _requests),
        TimeSpan.FromTicks(Interlocked.Read(ref _httpTicks)),
        Interlocked.Read(ref _minuteRows),
        Interlocked.Read(ref _hourRows),
        Interlocked.Read(ref _dayRows));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        CountRollupRows(message.Request);
        var started = Stopwatch.GetTimestamp();
        if (async)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        else
        {
            ProcessNext(message, pipeline);
        }

        Interlocked.Add(ref _httpTicks, Stopwatch.GetElapsedTime(started).Ticks);
        Interlocked.Increment(ref _requests);
    }

    // A transaction's body lists one "PUT …/MetricRollupsMinuteAll(PartitionKey='m-…',RowKey='…')" per entity.
    private void CountRollupRows(Request request)
    {
        if (request.Content is null || !request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            return;
        }

        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        foreach (Match match in RollupRow().Matches(Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length)))
        {
            switch (match.Groups[1].ValueSpan[0])
            {
                case 'm': Interlocked.Increment(ref _minuteRows); break;
                case 'h': Interlocked.Increment(ref _hourRows); break;
                default: Interlocked.Increment(ref _dayRows); break;
            }
        }
    }

    [GeneratedRegex(@"/MetricRollups[A-Za-z]+\(PartitionKey='([mhd])-")]
    private static partial Regex RollupRow();

    public readonly record struct Reading(long Requests, TimeSpan Http, long MinuteRows, long HourRows, long DayRows)
    {
        public long RollupRows => MinuteRows + HourRows + DayRows;

        public static Reading operator -(Reading after, Reading before) => new(
            after.Requests - before.Requests,
            after.Http - before.Http,
            after.MinuteRows - before.MinuteRows,
            after.HourRows - before.HourRows,
            after.DayRows - before.DayRows);
    }
}
