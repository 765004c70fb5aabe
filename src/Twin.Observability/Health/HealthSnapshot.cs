using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Twin.Observability.Health;

/// <summary>
/// Runs the health checks for <c>GET /api/health</c> so that anonymous calls cannot load storage: <see cref="RecentAsync"/>
/// answers from the last run while it started under <see cref="MaxAge"/> ago, and callers arriving while a run is under
/// way share it, so storage is listed at most once per <see cref="MaxAge"/> whatever the call rate.
/// <see cref="FreshAsync"/> (admins) always runs the checks, and its run becomes the snapshot the others then see.
/// </summary>
public sealed class HealthSnapshot(HealthCheckService checks, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Task<Run>? _latest;

    /// <summary>A report whose run started at most <see cref="MaxAge"/> ago (or is still running).</summary>
    public Task<HealthReport> RecentAsync(CancellationToken cancellationToken)
    {
        Task<Run> run;
        lock (_gate)
        {
            if (_latest is not { } latest || (latest.IsCompleted && (!latest.IsCompletedSuccessfully || time.GetUtcNow() - latest.Result.StartedAt >= MaxAge)))
            {
                _latest = Start();
            }

            run = _latest;
        }

        return ReportAsync(run, cancellationToken);
    }

    /// <summary>A report of a run started now.</summary>
    public Task<HealthReport> FreshAsync(CancellationToken cancellationToken)
    {
        Task<Run> run;
        lock (_gate)
        {
            run = _latest = Start();
        }

        return ReportAsync(run, cancellationToken);
    }

    // A shared run belongs to no caller, so no caller's cancellation may end it; each check bounds its own time.
    private Task<Run> Start()
    {
        var startedAt = time.GetUtcNow();
        return Task.Run(async () => new Run(await checks.CheckHealthAsync(CancellationToken.None).ConfigureAwait(false), startedAt));
    }

    private static async Task<HealthReport> ReportAsync(Task<Run> run, CancellationToken cancellationToken) =>
        (await run.WaitAsync(cancellationToken).ConfigureAwait(false)).Report;

    private sealed record Run(HealthReport Report, DateTimeOffset StartedAt);
}
