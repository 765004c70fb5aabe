using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Health;
using Xunit;

namespace Twin.Observability.Tests.Health;

/// <summary>
/// Anonymous health answers come from a snapshot: one run of the checks per <see cref="HealthSnapshot.MaxAge"/> however
/// many callers, shared while it runs; admins always get a fresh run. The clock is a fake: no test waits for time.
/// </summary>
public sealed class HealthSnapshotTests
{
    [Fact]
    public async Task Many_callers_during_a_run_share_it_and_the_checks_run_once()
    {
        var check = new CountingCheck { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var snapshot = Snapshot(check, new FakeTimeProvider());

        var calls = Enumerable.Range(0, 50).Select(_ => snapshot.RecentAsync(CancellationToken.None)).ToList();
        await check.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        check.Gate.SetResult();
        var reports = await Task.WhenAll(calls);

        Assert.Equal(1, check.Runs);
        Assert.All(reports, r => Assert.Equal(HealthStatus.Healthy, r.Status));
    }

    [Fact]
    public async Task The_snapshot_answers_until_it_is_five_seconds_old_and_is_then_refreshed()
    {
        var time = new FakeTimeProvider();
        var check = new CountingCheck();
        var snapshot = Snapshot(check, time);

        var first = await snapshot.RecentAsync(CancellationToken.None);
        check.Status = HealthStatus.Unhealthy;
        time.Advance(HealthSnapshot.MaxAge - TimeSpan.FromMilliseconds(1));
        var cached = await snapshot.RecentAsync(CancellationToken.None);
        Assert.Equal(1, check.Runs);

        time.Advance(TimeSpan.FromMilliseconds(1));
        var refreshed = await snapshot.RecentAsync(CancellationToken.None);
        var cachedAgain = await snapshot.RecentAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(HealthStatus.Healthy, cached.Status);
        Assert.Equal(HealthStatus.Unhealthy, refreshed.Status);
        Assert.Equal(HealthStatus.Unhealthy, cachedAgain.Status);
        Assert.Equal(2, check.Runs);
    }

    [Fact]
    public async Task A_fresh_run_always_runs_the_checks_and_becomes_the_snapshot()
    {
        var check = new CountingCheck();
        var snapshot = Snapshot(check, new FakeTimeProvider());
        await snapshot.RecentAsync(CancellationToken.None);

        check.Status = HealthStatus.Degraded;
        var fresh = await snapshot.FreshAsync(CancellationToken.None);
        var recent = await snapshot.RecentAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Degraded, fresh.Status);
        Assert.Equal(HealthStatus.Degraded, recent.Status);
        Assert.Equal(2, check.Runs);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_run_others_wait_for()
    {
        var check = new CountingCheck { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var snapshot = Snapshot(check, new FakeTimeProvider());
        using var leaving = new CancellationTokenSource();

        var left = snapshot.RecentAsync(leaving.Token);
        var staying = snapshot.RecentAsync(CancellationToken.None);
        await check.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);
        check.Gate.SetResult();

        Assert.Equal(HealthStatus.Healthy, (await staying).Status);
        Assert.Equal(1, check.Runs);
    }

    private static HealthSnapshot Snapshot(CountingCheck check, TimeProvider time)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddCheck("probe", check);
        return new HealthSnapshot(services.BuildServiceProvider().GetRequiredService<HealthCheckService>(), time);
    }

    private sealed class CountingCheck : IHealthCheck
    {
        private int _runs;

        public TaskCompletionSource? Gate { get; init; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HealthStatus Status { get; set; } = HealthStatus.Healthy;

        public int Runs => Volatile.Read(ref _runs);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            Entered.TrySetResult();
            if (Gate is not null)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            return new HealthCheckResult(Status);
        }
    }
}
