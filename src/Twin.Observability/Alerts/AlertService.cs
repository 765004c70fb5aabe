using System.Globalization;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Dashboard;
using Twin.Observability.Metrics;

namespace Twin.Observability.Alerts;

/// <summary>
/// Alert rules and their evaluation (API.md "Alerts"): CRUD with ETags, the monitoring switch, evaluation by the
/// timer (each rule once per minute, however many runs overlap) or on demand, notifications and history.
/// A transition is claimed with the state row's ETag before anything is sent, so a retried or overlapping
/// evaluation never sends a notification twice.
/// </summary>
public sealed partial class AlertService(
    AlertRuleStore rules,
    AlertStateStore states,
    AlertHistoryStore history,
    AlertRuleValidator validator,
    AlertMetricReader reader,
    AlertNotifier notifier,
    PersistedSwitchStore switches,
    IOptions<AlertsOptions> options,
    TimeProvider time,
    ILogger<AlertService> logger)
{
    public const string MonitoringSwitch = "alerts-monitoring";

    public Task<ResultPage<AlertRule>> ListAsync(PageRequest page, CancellationToken cancellationToken) => rules.ListAsync(page, cancellationToken);

    public async Task<AlertRule> GetAsync(string id, CancellationToken cancellationToken) =>
        await rules.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Alert rule", id);

    public async Task<AlertRule> CreateAsync(AlertRuleRequest? request, CancellationToken cancellationToken)
    {
        var rule = await validator.ValidateAsync(Guid.NewGuid().ToString("N"), request, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if ((await rules.AllAsync(cancellationToken).ConfigureAwait(false)).Count >= options.Value.MaxRules)
        {
            throw new RequestValidationException("rules", $"at most {options.Value.MaxRules} rules (Alerts:MaxRules); delete one first.");
        }

        return await rules.AddAsync(rule, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertRule> ReplaceAsync(string id, AlertRuleRequest? request, IfMatchCondition ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        var current = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        var expected = Expected(ifMatch, current);
        var rule = await validator.ValidateAsync(id, request, current, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await rules.ReplaceAsync(rule, expected, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string id, IfMatchCondition ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        if (await rules.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return false;
        }

        var deleted = await rules.DeleteAsync(id, Expected(ifMatch, current), cancellationToken).ConfigureAwait(false);
        await states.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    public async Task<AlertMonitoringStatus> SetMonitoringAsync(bool on, CancellationToken cancellationToken)
    {
        await switches.SetAsync(MonitoringSwitch, on, cancellationToken).ConfigureAwait(false);
        return await MonitoringStatusAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<AlertMonitoringStatus> MonitoringStatusAsync(CancellationToken cancellationToken)
    {
        var monitoring = await switches.GetAsync(MonitoringSwitch, cancellationToken).ConfigureAwait(false);
        var all = await rules.AllAsync(cancellationToken).ConfigureAwait(false);
        var firing = (await states.AllAsync(cancellationToken).ConfigureAwait(false)).Count(s => s.Status == AlertState.Firing);
        return new AlertMonitoringStatus(monitoring.On, monitoring.ChangedAt, all.Count, firing);
    }

    /// <summary>Evaluates every enabled rule now (<c>POST /manage/alerts/check</c>), whether monitoring runs or not.</summary>
    public Task<IReadOnlyList<AlertCheckResult>> CheckAsync(CancellationToken cancellationToken) =>
        EvaluateAsync(force: true, cancellationToken);

    /// <summary>
    /// The timer's run: nothing while monitoring is stopped; otherwise each enabled rule not yet evaluated in this
    /// slot (<see cref="AlertsOptions.EvaluationSlotSeconds"/>). Returns what it evaluated.
    /// </summary>
    public async Task<IReadOnlyList<AlertCheckResult>> EvaluateDueAsync(CancellationToken cancellationToken)
    {
        if (!(await switches.GetAsync(MonitoringSwitch, cancellationToken).ConfigureAwait(false)).On)
        {
            LogMonitoringStopped();
            return [];
        }

        return await EvaluateAsync(force: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResultPage<AlertHistoryEntry>> HistoryAsync(string? from, string? to, string? ruleId, PageRequest page, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new ValidationErrors();
        var end = MetricsRange.ParseTime(to, "to", errors) ?? now;
        var start = MetricsRange.ParseTime(from, "from", errors) ?? end - TimeSpan.FromHours(24);
        if (errors.IsEmpty && start >= end)
        {
            errors.Add("from", "must be before to.");
        }

        errors.ThrowIfAny();
        return await history.ListAsync(start, end, string.IsNullOrWhiteSpace(ruleId) ? null : ruleId.Trim(), page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rules firing now, for the dashboard.</summary>
    public async Task<ActiveAlerts> ActiveAsync(CancellationToken cancellationToken)
    {
        var byId = (await rules.AllAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var active = (await states.AllAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Status == AlertState.Firing && byId.ContainsKey(s.RuleId))
            .Select(s => (State: s, Rule: byId[s.RuleId]))
            .Select(x => new ActiveAlert(x.Rule.Id, x.Rule.Name, x.Rule.Metric, x.Rule.TwinId, x.Rule.Severity, x.State.Status, x.State.LastValue, x.Rule.Threshold, x.State.Since ?? x.State.LastEvaluatedAt ?? default))
            .OrderByDescending(a => a.Severity == "critical")
            .ThenBy(a => a.Since)
            .ToList();
        var note = active.Count == 0 && !(await switches.GetAsync(MonitoringSwitch, cancellationToken).ConfigureAwait(false)).On
            ? "Alert monitoring is stopped: rules are evaluated only on demand (POST /api/manage/alerts/check) until POST /api/manage/alerts/start-monitoring."
            : null;
        return new ActiveAlerts(active, note);
    }

    private async Task<IReadOnlyList<AlertCheckResult>> EvaluateAsync(bool force, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var enabled = (await rules.AllAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Enabled).ToList();
        var results = new AlertCheckResult?[enabled.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, enabled.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.EvaluationConcurrency, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await EvaluateRuleAsync(enabled[i], now, force, token).ConfigureAwait(false)).ConfigureAwait(false);
        return results.OfType<AlertCheckResult>().ToList();
    }

    private async Task<AlertCheckResult?> EvaluateRuleAsync(AlertRule rule, DateTimeOffset now, bool force, CancellationToken cancellationToken)
    {
        try
        {
            var state = await states.GetAsync(rule.Id, cancellationToken).ConfigureAwait(false);
            var slotTicks = TimeSpan.TicksPerSecond * options.Value.EvaluationSlotSeconds;
            var slot = now - TimeSpan.FromTicks(now.UtcTicks % slotTicks);
            if (!force && state.LastEvaluatedAt >= slot)
            {
                return null;
            }

            var reading = await reader.ReadAsync(rule, now, cancellationToken).ConfigureAwait(false);
            var evaluation = AlertEvaluator.Evaluate(rule, state, reading, now);
            if (!await states.TryClaimAsync(state, evaluation.Next, cancellationToken).ConfigureAwait(false))
            {
                return Result(rule, reading, evaluation, [], "Another evaluation of this rule wrote its state first; this one sent nothing.");
            }

            var entries = new List<AlertHistoryEntry>();
            if (state.Status != evaluation.Next.Status || evaluation.Suppressed is not null)
            {
                entries.Add(new AlertHistoryEntry
                {
                    Id = AlertHistoryStore.NewId(now),
                    At = now,
                    Kind = "transition",
                    RuleId = rule.Id,
                    RuleName = rule.Name,
                    From = state.Status,
                    To = evaluation.Next.Status,
                    Value = evaluation.Value,
                    Threshold = rule.Threshold,
                    Detail = evaluation.Suppressed,
                });
                LogTransition(rule.Name, rule.Id, state.Status, evaluation.Next.Status, evaluation.Value);
            }

            foreach (var kind in evaluation.Notify)
            {
                entries.AddRange(await notifier.NotifyAsync(rule, Notification(rule, kind, evaluation.Value, now), cancellationToken).ConfigureAwait(false));
            }

            await history.AddAsync(entries, cancellationToken).ConfigureAwait(false);
            return Result(rule, reading, evaluation, evaluation.Notify.Select(k => k.ToString().ToLowerInvariant()).ToList(), evaluation.Suppressed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One rule's failure (storage, a metric it cannot read) must not stop the others; it is logged and reported.
            LogEvaluationFailed(ex, rule.Name, rule.Id);
            return new AlertCheckResult(rule.Id, rule.Name, rule.Metric, rule.TwinId, null, 0, rule.Threshold, false, true, "error", false, [], $"Evaluation failed: {ex.Message}");
        }
    }

    private AlertNotification Notification(AlertRule rule, AlertEventKind kind, double? value, DateTimeOffset now) => new(
        NotificationId: $"{rule.Id}-{now.UtcTicks.ToString(CultureInfo.InvariantCulture)}-{kind.ToString().ToLowerInvariant()}",
        DedupKey: $"twin-observability/{rule.Id}",
        RuleId: rule.Id,
        RuleName: rule.Name,
        Kind: kind,
        Severity: kind == AlertEventKind.Warning ? AlertSeverity.Warning : AlertRuleValues.SeverityOf(rule.Severity),
        Metric: rule.Metric,
        TwinId: rule.TwinId,
        Value: value,
        Comparator: rule.Comparator,
        Threshold: kind == AlertEventKind.Warning && rule.WarningThreshold is { } warning ? warning : rule.Threshold,
        WindowMinutes: rule.WindowMinutes,
        At: now,
        DashboardUrl: notifier.DashboardUrl);

    private static AlertCheckResult Result(AlertRule rule, AlertReading reading, AlertEvaluation evaluation, IReadOnlyList<string> notified, string? note) =>
        new(rule.Id, rule.Name, rule.Metric, rule.TwinId, evaluation.Value, reading.Samples, rule.Threshold, evaluation.Breaching, evaluation.NoData, evaluation.Next.Status, evaluation.Next.Warning, notified, note);

    private static ETag Expected(IfMatchCondition ifMatch, AlertRule current) => ifMatch.ExpectedFor(current.ETag!, $"Alert rule '{current.Id}'");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert evaluation skipped: monitoring is stopped (POST /api/manage/alerts/start-monitoring starts it)")]
    private partial void LogMonitoringStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rule {RuleName} ({RuleId}): {From} -> {To} at value {Value}")]
    private partial void LogTransition(string ruleName, string ruleId, string from, string to, double? value);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert rule {RuleName} ({RuleId}) could not be evaluated")]
    private partial void LogEvaluationFailed(Exception exception, string ruleName, string ruleId);
}
