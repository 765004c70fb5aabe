using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Experiments;
using Twin.Observability.Features;

namespace Twin.Functions.Experiments;

/// <summary>
/// A/B testing (API.md "A/B testing"): tests persisted in the <c>Experiments</c> table, at most one running per twin;
/// the chat applies the running test of its twin. Admin only.
/// </summary>
[FeatureGate(FeatureFlags.ABTesting)]
public sealed class AbTestsFunctions(ApiHandler api, ExperimentService experiments)
{
    private const int MaxBodyBytes = 16 * 1024;

    [Function("ListAbTests")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/ab-tests")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await experiments.ListAsync(cancellationToken) }));

    [Function("CreateAbTest")]
    public Task<IResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/ab-tests")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var test = await experiments.CreateAsync(await JsonBody.ReadAsync<AbTestRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken);
            return TypedResults.Created($"/api/manage/ab-tests/{test.Id}", test);
        });

    [Function("GetAbTest")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/ab-tests/{testId}")] HttpRequest req, string testId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await experiments.ReportAsync(testId, cancellationToken)));

    [Function("StopAbTest")]
    public Task<IResult> Stop([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/ab-tests/{testId}/stop")] HttpRequest req, string testId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await experiments.StopAsync(testId, cancellationToken)));

    [Function("AssignAbTest")]
    public Task<IResult> Assign([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/ab-tests/{testId}/assign")] HttpRequest req, string testId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await experiments.AssignAsync(testId, req.Query["userId"], cancellationToken)));
}
