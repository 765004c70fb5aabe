using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Alerts;
using Twin.Observability.Common;
using Twin.Observability.Features;

namespace Twin.Functions.Alerts;

/// <summary>
/// Alerts (API.md "Alerts"): rules with ETags, evaluation on demand, history, the monitoring switch, and the
/// <c>EvaluateAlerts</c> timer. Its schedule is the app setting <c>Alerts:EvaluationSchedule</c> (every minute in
/// production; tests shorten it). Admin only.
/// </summary>
[FeatureGate(FeatureFlags.Alerts)]
public sealed class AlertsFunctions(ApiHandler api, AlertService alerts)
{
    private const string Rules = "manage/alerts/rules";
    private const string Rule = "manage/alerts/rules/{ruleId}";
    private const int MaxRuleBytes = 32 * 1024;

    [Function("ListAlertRules")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Rules)] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await alerts.ListAsync(PageRequest.Parse(req.Query["limit"], req.Query["continuationToken"]), cancellationToken)));

    [Function("CreateAlertRule")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Rules)] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var rule = await alerts.CreateAsync(await JsonBody.ReadAsync<AlertRuleRequest>(req, MaxRuleBytes, cancellationToken), cancellationToken);
            return WithETag(req, rule, TypedResults.Created($"/api/{Rules}/{rule.Id}", rule));
        });

    [Function("GetAlertRule")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Rule)] HttpRequest req, string ruleId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var rule = await alerts.GetAsync(ruleId, cancellationToken);
            return WithETag(req, rule, TypedResults.Ok(rule));
        });

    [Function("ReplaceAlertRule")]
    public Task<IResult> Replace([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Rule)] HttpRequest req, string ruleId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var body = await JsonBody.ReadAsync<AlertRuleRequest>(req, MaxRuleBytes, cancellationToken);
            var rule = await alerts.ReplaceAsync(ruleId, body, RequestHeaders.IfMatch(req), cancellationToken);
            return WithETag(req, rule, TypedResults.Ok(rule));
        });

    [Function("DeleteAlertRule")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Rule)] HttpRequest req, string ruleId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            await alerts.DeleteAsync(ruleId, RequestHeaders.IfMatch(req), cancellationToken)
                ? TypedResults.NoContent()
                : throw new ResourceNotFoundException("Alert rule", ruleId));

    [Function("CheckAlerts")]
    public Task<IResult> Check([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/alerts/check")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await alerts.CheckAsync(cancellationToken) }));

    [Function("AlertHistory")]
    public Task<IResult> History([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/alerts/history")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await alerts.HistoryAsync(
            req.Query["from"], req.Query["to"], req.Query["ruleId"], PageRequest.Parse(req.Query["limit"], req.Query["continuationToken"]), cancellationToken)));

    [Function("AlertMonitoringStatus")]
    public Task<IResult> Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/alerts/monitoring")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await alerts.MonitoringStatusAsync(cancellationToken)));

    [Function("StartAlertMonitoring")]
    public Task<IResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/alerts/start-monitoring")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await alerts.SetMonitoringAsync(true, cancellationToken)));

    [Function("StopAlertMonitoring")]
    public Task<IResult> Stop([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/alerts/stop-monitoring")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await alerts.SetMonitoringAsync(false, cancellationToken)));

    [Function("EvaluateAlerts")]
    public Task EvaluateAlerts([TimerTrigger("%Alerts:EvaluationSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        alerts.EvaluateDueAsync(cancellationToken);

    private static IResult WithETag(HttpRequest req, AlertRule rule, IResult result)
    {
        req.HttpContext.Response.Headers.ETag = rule.ETag;
        return result;
    }
}
