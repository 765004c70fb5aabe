using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// The <c>ExportJobs</c> table: one row per export (partition <c>export</c>, row = id), changed only with the ETag
/// read, so one worker at a time owns a running export.
/// </summary>
public sealed class ExportJobStore(TableServiceClient tables)
{
    private const string Partition = "export";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableStore<TableEntity> _jobs = new(tables.GetTableClient(StorageNames.Tables.ExportJobs));

    public async Task<ExportJob> AddAsync(ExportJob job, CancellationToken cancellationToken) =>
        JobOf(await _jobs.AddAsync(Entity(job), cancellationToken).ConfigureAwait(false));

    public async Task<ExportJob?> FindAsync(string id, CancellationToken cancellationToken) =>
        TableKeys.IsValid(id) && await _jobs.FindAsync(Partition, id, cancellationToken).ConfigureAwait(false) is { } entity ? JobOf(entity) : null;

    /// <summary>Replaces the job if it is unchanged since <paramref name="job"/>'s ETag was read; a <c>PreconditionFailedException</c> otherwise.</summary>
    public async Task<ExportJob> ReplaceAsync(ExportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return JobOf(await _jobs.ReplaceAsync(Entity(job), new ETag(job.ETag!), cancellationToken).ConfigureAwait(false));
    }

    private static TableEntity Entity(ExportJob job)
    {
        var entity = new TableEntity(Partition, job.Id)
        {
            ["Dataset"] = job.Dataset,
            ["Format"] = job.Format,
            ["Status"] = job.Status,
            ["Folder"] = job.Folder,
            ["Total"] = job.Total,
            ["Processed"] = job.Processed,
            ["Plan"] = JsonSerializer.Serialize(job.Plan, Json),
            ["Error"] = job.Error,
            ["CreatedAt"] = job.CreatedAt,
            ["UpdatedAt"] = job.UpdatedAt,
            ["CompletedAt"] = job.CompletedAt,
        };
        if (job.Result is not null)
        {
            ChunkedStringProperty.Write(entity, "Result", JsonSerializer.Serialize(job.Result, Json));
        }

        return entity;
    }

    private static ExportJob JobOf(TableEntity e)
    {
        var result = ChunkedStringProperty.Read(e, "Result");
        return new ExportJob
        {
            Id = e.RowKey,
            Dataset = e.GetString("Dataset") ?? "",
            Format = e.GetString("Format") ?? "",
            Status = e.GetString("Status") ?? ExportJob.Queued,
            Folder = e.GetString("Folder") ?? "",
            Total = e.GetInt64("Total") ?? 0,
            Processed = e.GetInt64("Processed") ?? 0,
            Plan = JsonSerializer.Deserialize<ExportPlan>(e.GetString("Plan") ?? "null", Json)!,
            Result = string.IsNullOrEmpty(result) ? null : JsonSerializer.Deserialize<ExportResult>(result, Json),
            Error = e.GetString("Error"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
            CompletedAt = e.GetDateTimeOffset("CompletedAt"),
            ETag = e.ETag.ToString(),
        };
    }
}
