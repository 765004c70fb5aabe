using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;

namespace Twin.Observability.Monitoring;

/// <summary>
/// Synthetic monitoring (API.md "Synthetic monitoring"): checks, the start/stop switch, the <c>RunSyntheticChecks</c>
/// timer's run (the checks that are due, a bounded number at once), runs on demand, and status. Results are stored
/// per check with day counters, and feed the <c>synthetic_failure_rate</c> alert metric.
/// </summary>
public sealed partial class MonitoringService(
    MonitorCheckStore checks,
    MonitorResultStore results,
    MonitorCheckValidator validator,
    MonitorStatusReader status,
    SyntheticCheckRunner runner,
    PersistedSwitchStore switches,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringService> logger)
{
    public const string Switch = "synthetic-monitoring";

    public Task<ResultPage<MonitorCheck>> ListAsync(PageRequest page, CancellationToken cancellationToken) => checks.ListAsync(page, cancellationToken);

    public async Task<MonitorCheck> CreateAsync(MonitorCheckRequest? request, CancellationToken cancellationToken)
    {
        var check = await validator.ValidateAsync(Guid.NewGuid().ToString("N"), request, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if ((await checks.AllAsync(cancellationToken).ConfigureAwait(false)).Count >= options.Value.MaxChecks)
        {
            throw new RequestValidationException("checks", $"at most {options.Value.MaxChecks} checks (Monitoring:MaxChecks); delete one first.");
        }

        return await checks.AddAsync(check, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        await checks.FindAsync(id, cancellationToken).ConfigureAwait(false) is not null
        && await checks.DeleteAsync(id, ETag.All, cancellationToken).ConfigureAwait(false);

    public async Task<MonitoringStatus> SetRunningAsync(bool on, CancellationToken cancellationToken)
    {
        await switches.SetAsync(Switch, on, cancellationToken).ConfigureAwait(false);
        return await StatusAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<MonitoringStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var running = await switches.GetAsync(Switch, cancellationToken).ConfigureAwait(false);
        var all = await checks.AllAsync(cancellationToken).ConfigureAwait(false);
        var statuses = await status.StatusesAsync(all.OrderBy(c => c.Name, StringComparer.Ordinal), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new MonitoringStatus(running.On, running.ChangedAt, statuses);
    }

    /// <summary>Runs every enabled check now (<c>POST /manage/monitoring/run-checks</c>), or only <paramref name="checkId"/>, whether monitoring runs or not.</summary>
    public async Task<IReadOnlyList<MonitorResult>> RunNowAsync(string? checkId, CancellationToken cancellationToken)
    {
        var all = await checks.AllAsync(cancellationToken).ConfigureAwait(false);
        var chosen = checkId is null
            ? all.Where(c => c.Enabled).ToList()
            : [all.FirstOrDefault(c => c.Id == checkId) ?? throw new ResourceNotFoundException("Check", checkId)];
        return await RunAsync(chosen, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The timer's run: nothing while monitoring is stopped; otherwise the enabled checks that are due.</summary>
    public async Task<IReadOnlyList<MonitorResult>> RunDueAsync(CancellationToken cancellationToken)
    {
        if (!(await switches.GetAsync(Switch, cancellationToken).ConfigureAwait(false)).On)
        {
            LogStopped();
            return [];
        }

        var now = time.GetUtcNow();
        var due = new List<MonitorCheck>();
        foreach (var check in (await checks.AllAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.Enabled))
        {
            var latest = await results.LatestAsync(check.Id, 1, cancellationToken).ConfigureAwait(false);
            var last = latest.Count > 0 ? latest[0] : null;
            if (MonitorDue.IsDue(check, last, now))
            {
                due.Add(check);
            }
        }

        return await RunAsync(due, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<MonitorResult>> RunAsync(List<MonitorCheck> chosen, CancellationToken cancellationToken)
    {
        var ran = new MonitorResult[chosen.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chosen.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var result = await runner.RunAsync(chosen[i], token).ConfigureAwait(false);
                await results.AddAsync(result, token).ConfigureAwait(false);
                if (!result.Ok)
                {
                    LogFailed(chosen[i].Name, chosen[i].Id, string.Join("; ", result.Failures));
                }

                ran[i] = result;
            }).ConfigureAwait(false);
        return ran;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Synthetic checks skipped: monitoring is stopped (POST /api/manage/monitoring/start starts it)")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Synthetic check {Name} ({CheckId}) failed: {Failures}")]
    private partial void LogFailed(string name, string checkId, string failures);
}
