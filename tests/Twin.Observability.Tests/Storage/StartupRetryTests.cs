using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Common;
using Twin.Observability.Storage;
using Xunit;

namespace Twin.Observability.Tests.Storage;

public sealed class StartupRetryTests
{
    private static readonly StorageOptions Options = new() { StartupRetryDelayMilliseconds = 1_000, StartupMaxRetryDelayMilliseconds = 10_000 };

    [Fact]
    public async Task Storage_away_is_retried_with_delays_doubling_from_the_first_up_to_the_cap()
    {
        var time = new FakeTimeProvider();
        var delays = new List<TimeSpan>();
        var pipeline = StartupRetry.Build(Options, ex => ex is StorageUnavailableException, (_, delay) => { lock (delays) { delays.Add(delay); } }, time);
        using var stop = new CancellationTokenSource();

        var run = pipeline.ExecuteAsync(_ => ValueTask.FromException(Down()), stop.Token).AsTask();
        var deadline = Stopwatch.StartNew();
        while (Count(delays) < 6 && deadline.Elapsed < TimeSpan.FromSeconds(30) && !run.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal([1, 2, 4, 8, 10, 10], delays.Take(6).Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task A_failure_that_is_not_storage_away_is_not_retried()
    {
        var attempts = 0;
        var pipeline = StartupRetry.Build(Options, ex => ex is StorageUnavailableException, (_, _) => { }, new FakeTimeProvider());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromException(new InvalidOperationException("a defect"));
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_work_runs_again_until_it_succeeds()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var pipeline = StartupRetry.Build(Options, ex => ex is StorageUnavailableException, (_, _) => { }, time);

        var run = pipeline.ExecuteAsync(_ => ++attempts < 3 ? ValueTask.FromException(Down()) : ValueTask.CompletedTask).AsTask();
        var deadline = Stopwatch.StartNew();
        while (!run.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5);
        }

        await run;
        Assert.Equal(3, attempts);
    }

    private static int Count(List<TimeSpan> delays)
    {
        lock (delays)
        {
            return delays.Count;
        }
    }

    private static StorageUnavailableException Down() => new("Storage is down.", new IOException("connection refused"));
}
