using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Features;
using Twin.Functions.Http;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Features;
using Twin.Observability.Storage;

namespace Twin.Functions.Datasets;

/// <summary>
/// Dataset export (API.md "Dataset export"): fine-tuning files written to Blob Storage with time-limited read links.
/// An export of up to <c>Exports:SyncMaxItems</c> items answers 200 with its files; a bigger one answers 202 with its
/// status URL and runs from the <c>exports</c> queue (<c>RunDatasetExport</c>). Admin only.
/// </summary>
[FeatureGate(FeatureFlags.Export)]
public sealed class DatasetExportFunctions(ApiHandler api, DatasetExportService exports, ExportWorker worker)
{
    private const int MaxBodyBytes = 8 * 1024;

    [Function("ListExportFormats")]
    public Task<IResult> Formats([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/datasets/export/formats")] HttpRequest req, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(new { data = await exports.FormatsAsync(cancellationToken) }));

    [Function("ExportDataset")]
    public Task<IResult> Export([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/datasets/{name}/export")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () =>
        {
            var job = await exports.StartAsync(name, await JsonBody.ReadAsync<DatasetExportRequest>(req, MaxBodyBytes, cancellationToken), cancellationToken);
            var statusUrl = $"/api/manage/datasets/exports/{job.Id}";
            return job.IsDone ? TypedResults.Ok(job) : TypedResults.Accepted(statusUrl, new { id = job.Id, statusUrl, job.Status, job.Total });
        });

    [Function("GetDatasetExport")]
    public Task<IResult> Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/datasets/exports/{exportId}")] HttpRequest req, string exportId, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await exports.StatusAsync(exportId, cancellationToken)));

    [Function("GetDatasetStats")]
    public Task<IResult> Stats([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/datasets/{name}/stats")] HttpRequest req, string name, CancellationToken cancellationToken) =>
        api.AdminAsync(req, async () => TypedResults.Ok(await exports.StatsAsync(name, cancellationToken)));

    [Function("RunDatasetExport")]
    public Task RunExport([QueueTrigger(StorageNames.Queues.Exports)] ExportQueueMessage message, CancellationToken cancellationToken) =>
        worker.HandleAsync(message, cancellationToken);
}
