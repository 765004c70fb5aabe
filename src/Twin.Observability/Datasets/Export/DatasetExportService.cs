using System.Globalization;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Datasets.Export.Formats;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Dataset export (API.md "Dataset export"): lists the formats, exports a dataset to Blob Storage (at once up to
/// <see cref="ExportOptions.SyncMaxItems"/> items, through the <c>exports</c> queue above), reports exports with
/// fresh read links, and reports a dataset's statistics.
/// </summary>
public sealed class DatasetExportService(
    ExportPlanner planner,
    IDatasetStore datasets,
    DatasetExporter exporter,
    DatasetStatsBuilder stats,
    ExportJobStore jobs,
    ExportDispatcher queue,
    ExportLinks links,
    BlobExportTarget target,
    IOptions<ExportOptions> options,
    TimeProvider time)
{
    private readonly Lazy<Task<ExportFormatInfo[]>> _formats = new(() => Task.WhenAll(ExportFormats.All.Select(f => ExportFormatInfo.OfAsync(f, CancellationToken.None))));

    /// <summary>Every format with a sample line, made once: the formats never change while the app runs.</summary>
    public async Task<IReadOnlyList<ExportFormatInfo>> FormatsAsync(CancellationToken cancellationToken) =>
        await _formats.Value.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the export, or queues it when it is big; the job says which (<see cref="ExportJob.IsDone"/>).</summary>
    public async Task<ExportJob> StartAsync(string dataset, DatasetExportRequest? request, CancellationToken cancellationToken)
    {
        var plan = planner.Plan(dataset, request);
        await EnsureExistsAsync(dataset, cancellationToken).ConfigureAwait(false);
        var total = Math.Min(await datasets.CountItemsAsync(dataset, cancellationToken).ConfigureAwait(false), plan.MaxItems);
        var now = time.GetUtcNow();
        var job = new ExportJob
        {
            Id = Guid.NewGuid().ToString("N"),
            Dataset = dataset,
            Format = plan.Format,
            Status = ExportJob.Queued,
            Folder = $"{dataset}/{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}",
            Total = total,
            Plan = plan,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (total > options.Value.SyncMaxItems)
        {
            var queued = await jobs.AddAsync(job, cancellationToken).ConfigureAwait(false);
            await queue.EnqueueAsync(new ExportQueueMessage { ExportId = job.Id }, cancellationToken).ConfigureAwait(false);
            return queued;
        }

        var result = await exporter.ExportAsync(plan, job.Folder, target, null, cancellationToken).ConfigureAwait(false);
        var done = time.GetUtcNow();
        var saved = await jobs.AddAsync(job with { Status = ExportJob.Succeeded, Processed = result.ItemsRead, Result = result, UpdatedAt = done, CompletedAt = done }, cancellationToken).ConfigureAwait(false);
        return await WithLinksAsync(saved, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExportJob> StatusAsync(string id, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Export", id);
        return await WithLinksAsync(job, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DatasetStats> StatsAsync(string dataset, CancellationToken cancellationToken)
    {
        if (DatasetNames.Problem(dataset) is { } problem)
        {
            throw new RequestValidationException("name", problem);
        }

        await EnsureExistsAsync(dataset, cancellationToken).ConfigureAwait(false);
        return await stats.BuildAsync(dataset, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureExistsAsync(string dataset, CancellationToken cancellationToken)
    {
        if (!await datasets.ExistsAsync(dataset, cancellationToken).ConfigureAwait(false))
        {
            throw new ResourceNotFoundException("Dataset", dataset);
        }
    }

    private async Task<ExportJob> WithLinksAsync(ExportJob job, CancellationToken cancellationToken) =>
        job.Result is { Files.Count: > 0 } result
            ? job with { Result = result with { Files = await links.WithLinksAsync(result.Files, cancellationToken).ConfigureAwait(false) } }
            : job;
}
