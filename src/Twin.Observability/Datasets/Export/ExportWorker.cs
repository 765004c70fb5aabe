using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Runs a queued export from the <c>exports</c> queue. The job row is claimed with its ETag before any file is
/// written, so a redelivered message finds the export done (or owned by a live worker) and writes nothing; a worker
/// that died mid-export is taken over once its progress is older than <see cref="ExportOptions.StaleMinutes"/>, and
/// the rerun overwrites the same files. Outages (storage, Langfuse) put the job back and rethrow, so the queue
/// retries; any other failure ends the job as <c>failed</c> with its reason.
/// </summary>
public sealed partial class ExportWorker(
    ExportJobStore jobs,
    DatasetExporter exporter,
    BlobExportTarget target,
    TimeProvider time,
    IOptions<ExportOptions> options,
    ILogger<ExportWorker> logger)
{
    public async Task HandleAsync(ExportQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await jobs.FindAsync(message.ExportId, cancellationToken).ConfigureAwait(false) is not { } job)
        {
            LogUnknown(message.ExportId);
            return;
        }

        if (job.IsDone || (job.Status == ExportJob.Running && time.GetUtcNow() - job.UpdatedAt < TimeSpan.FromMinutes(options.Value.StaleMinutes)))
        {
            LogAlreadyHandled(job.Id, job.Status);
            return;
        }

        ExportJob owned;
        try
        {
            owned = await jobs.ReplaceAsync(job with { Status = ExportJob.Running, Processed = 0, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            LogAlreadyHandled(job.Id, "claimed by another worker");
            return;
        }

        try
        {
            var result = await exporter.ExportAsync(owned.Plan, owned.Folder, target, async processed =>
            {
                // Each progress write carries the ETag of the last: a worker that lost the job stops at its next write.
                owned = await jobs.ReplaceAsync(owned with { Processed = processed, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            await jobs.ReplaceAsync(owned with { Status = ExportJob.Succeeded, Processed = result.ItemsRead, Result = result, UpdatedAt = now, CompletedAt = now }, cancellationToken).ConfigureAwait(false);
            LogExported(job.Id, result.Written, result.Dataset, result.Format);
        }
        catch (Exception ex) when (IsOutage(ex) && !cancellationToken.IsCancellationRequested)
        {
            await jobs.ReplaceAsync(owned with { Status = ExportJob.Queued, UpdatedAt = time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not PreconditionFailedException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, job.Id);
            var now = time.GetUtcNow();
            await jobs.ReplaceAsync(owned with { Status = ExportJob.Failed, Error = ex.GetType().Name + ": " + ex.Message, UpdatedAt = now, CompletedAt = now }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool IsOutage(Exception ex) => ex is StorageUnavailableException or LangfuseApiException { IsTransient: true } or HttpRequestException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export {ExportId} does not exist; message dropped")]
    private partial void LogUnknown(string exportId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} not run again: {Status}")]
    private partial void LogAlreadyHandled(string exportId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} wrote {Written} examples of dataset {Dataset} as {Format}")]
    private partial void LogExported(string exportId, long written, string dataset, string format);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} failed")]
    private partial void LogFailed(Exception exception, string exportId);
}
