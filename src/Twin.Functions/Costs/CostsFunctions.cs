using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Costs;
using Twin.Observability.Features;
using Twin.Observability.Metrics;

namespace Twin.Functions.Costs;

/// <summary>
/// Cost tracking (API.md "Cost tracking"): cost by day, model or twin with budget status, the price table with
/// per-model totals, and usage recorded from outside the chat. Admin only.
/// </summary>
[FeatureGate(FeatureFlags.CostTracking)]
public sealed class CostsFunctions(ApiHandler api, CostService costs, CostTracker tracker, TimeProvider time)
{
    private const int MaxTrackBytes = 8 * 1024;

    [Function("CostSummary")]
    public Task<IResult> Summary([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/costs/summary")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await costs.SummaryAsync(Range(req), req.Query["groupBy"], cancellationToken)));

    [Function("CostModels")]
    public Task<IResult> Models([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/costs/models")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await costs.ModelsAsync(Range(req), cancellationToken)));

    [Function("TrackCost")]
    public Task<IResult> Track([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/costs/track")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var usage = await tracker.TrackAsync(await JsonBody.ReadAsync<TrackUsageRequest>(req, MaxTrackBytes, cancellationToken), cancellationToken);
            return usage.Duplicate ? TypedResults.Ok(usage) : TypedResults.Created((string?)null, usage);
        });

    private MetricsRange Range(HttpRequest req) =>
        MetricsRange.Parse(req.Query["from"], req.Query["to"], req.Query["twinId"], req.Query["interval"], time.GetUtcNow());
}
