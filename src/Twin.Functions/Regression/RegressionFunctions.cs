using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Common;
using Twin.Observability.Features;
using Twin.Observability.Regression;
using Twin.Observability.Storage;

namespace Twin.Functions.Regression;

/// <summary>
/// Regression testing (API.md "Regression testing"): a run is accepted with 202 and its status URL, then runs from the
/// <c>regression-runs</c> queue (<c>RunRegression</c>: a plan message fans out one message per item). Admin only.
/// </summary>
[FeatureGate(FeatureFlags.Regression)]
public sealed class RegressionFunctions(ApiHandler api, RegressionService regression, RegressionWorker worker)
{
    private const int MaxBodyBytes = 8 * 1024;

    [Function("StartRegressionTest")]
    public Task<IResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/regression/test")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var run = await regression.StartAsync(await JsonBody.ReadAsync<RegressionRunRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken);
            var statusUrl = $"/api/manage/regression/test/{run.Id}";
            return TypedResults.Accepted(statusUrl, new { id = run.Id, statusUrl });
        });

    [Function("GetRegressionTest")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/regression/test/{testId}")] HttpRequest req, string testId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
            TypedResults.Ok(await regression.ReportAsync(testId, PageRequest.Parse(req.Query["limit"], req.Query["continuationToken"]), cancellationToken)));

    [Function("ListRegressionDatasets")]
    public Task<IResult> Datasets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/regression/datasets")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await regression.DatasetsAsync(cancellationToken) }));

    [Function("SaveRegressionBaseline")]
    public Task<IResult> SaveBaseline([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/regression/baseline")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var saved = await regression.SaveBaselineAsync(await JsonBody.ReadAsync<RegressionBaselineRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken);
            return TypedResults.Created($"/api/manage/regression/baselines/{Uri.EscapeDataString(saved.Name)}", saved);
        });

    [Function("GetRegressionBaseline")]
    public Task<IResult> Baseline([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/regression/baselines/{name}")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { name, versions = await regression.BaselineAsync(name, cancellationToken) }));

    [Function("RunRegression")]
    public Task RunRegression([QueueTrigger(StorageNames.Queues.RegressionRuns)] RegressionMessage message, CancellationToken cancellationToken) =>
        worker.HandleAsync(message, cancellationToken);
}
