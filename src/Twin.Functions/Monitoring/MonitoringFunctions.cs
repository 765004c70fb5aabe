using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Common;
using Twin.Observability.Features;
using Twin.Observability.Monitoring;

namespace Twin.Functions.Monitoring;

/// <summary>
/// Synthetic monitoring (API.md "Synthetic monitoring"): checks, runs on demand, status, the start/stop switch, and
/// the <c>RunSyntheticChecks</c> timer (schedule: the app setting <c>Monitoring:CheckSchedule</c>, every minute in
/// production), which runs the checks that are due. Admin only.
/// </summary>
[FeatureGate(FeatureFlags.SyntheticMonitoring)]
public sealed class MonitoringFunctions(ApiHandler api, MonitoringService monitoring)
{
    private const string Checks = "manage/monitoring/checks";
    private const int MaxCheckBytes = 16 * 1024;

    [Function("ListMonitorChecks")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Checks)] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await monitoring.ListAsync(PageRequest.Parse(req.Query["limit"], req.Query["continuationToken"]), cancellationToken)));

    [Function("CreateMonitorCheck")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Checks)] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var check = await monitoring.CreateAsync(await JsonBody.ReadAsync<MonitorCheckRequest>(req, MaxCheckBytes, cancellationToken), cancellationToken);
            return TypedResults.Created($"/api/{Checks}/{check.Id}", check);
        });

    [Function("DeleteMonitorCheck")]
    public Task<IResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Checks + "/{checkId}")] HttpRequest req, string checkId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            await monitoring.DeleteAsync(checkId, cancellationToken) ? TypedResults.NoContent() : throw new ResourceNotFoundException("Check", checkId));

    [Function("MonitoringStatus")]
    public Task<IResult> Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/monitoring/status")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await monitoring.StatusAsync(cancellationToken)));

    [Function("RunMonitorChecks")]
    public Task<IResult> RunChecks([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/monitoring/run-checks")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(new { data = await monitoring.RunNowAsync(string.IsNullOrWhiteSpace(req.Query["checkId"]) ? null : req.Query["checkId"].ToString(), cancellationToken) }));

    [Function("StartMonitoring")]
    public Task<IResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/monitoring/start")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await monitoring.SetRunningAsync(true, cancellationToken)));

    [Function("StopMonitoring")]
    public Task<IResult> Stop([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/monitoring/stop")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await monitoring.SetRunningAsync(false, cancellationToken)));

    [Function("RunSyntheticChecks")]
    public Task RunSyntheticChecks([TimerTrigger("%Monitoring:CheckSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        monitoring.RunDueAsync(cancellationToken);
}
