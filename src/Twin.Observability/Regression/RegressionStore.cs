using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Regression;

/// <summary>
/// The <c>RegressionRuns</c> table (a row per run, changed only with its ETag, so concurrent items count without lost
/// updates) and <c>RegressionResults</c> (partition = run, row = item; adding the row is the item's claim, so a
/// redelivered message never counts twice).
/// </summary>
public sealed class RegressionStore(TableServiceClient tables)
{
    private const string RunPartition = "run";
    private const int MaxUpdateAttempts = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TableStore<TableEntity> _runs = new(tables.GetTableClient(StorageNames.Tables.RegressionRuns));
    private readonly TableStore<TableEntity> _results = new(tables.GetTableClient(StorageNames.Tables.RegressionResults));

    public async Task<RegressionRun> AddRunAsync(RegressionRun run, CancellationToken cancellationToken) =>
        RunOf(await _runs.AddAsync(Entity(run), cancellationToken).ConfigureAwait(false));

    public async Task<RegressionRun?> FindRunAsync(string id, CancellationToken cancellationToken) =>
        TableKeys.IsValid(id) && await _runs.FindAsync(RunPartition, id, cancellationToken).ConfigureAwait(false) is { } entity ? RunOf(entity) : null;

    /// <summary>
    /// Applies <paramref name="change"/> to the stored run until it sticks (read, change, replace with the ETag read);
    /// returns the run before and after, or null when <paramref name="change"/> returned null (nothing to do).
    /// </summary>
    public async Task<(RegressionRun Before, RegressionRun After)?> UpdateRunAsync(string id, Func<RegressionRun, RegressionRun?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var current = await FindRunAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Regression run", id);
            if (change(current) is not { } next)
            {
                return null;
            }

            try
            {
                var saved = RunOf(await _runs.ReplaceAsync(Entity(next), new ETag(current.ETag!), cancellationToken).ConfigureAwait(false));
                return (current, saved);
            }
            catch (PreconditionFailedException) when (attempt < MaxUpdateAttempts)
            {
                // Another item of the run counted in between: read again and count on top of it.
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt, 10)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stores an item's result; false when it was stored already (a redelivered message).</summary>
    public async Task<bool> TryAddResultAsync(RegressionResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            await _results.AddAsync(Entity(result), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ResourceConflictException)
        {
            return false;
        }
    }

    public async Task<bool> HasResultAsync(string runId, string itemId, CancellationToken cancellationToken) =>
        await _results.FindAsync(runId, itemId, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<IReadOnlyList<RegressionResult>> AllResultsAsync(string runId, CancellationToken cancellationToken)
    {
        var results = new List<RegressionResult>();
        await foreach (var entity in _results.QueryAllAsync($"PartitionKey eq {runId}", cancellationToken).ConfigureAwait(false))
        {
            results.Add(ResultOf(entity));
        }

        return results;
    }

    public async Task<ResultPage<RegressionResult>> ResultsAsync(string runId, PageRequest page, CancellationToken cancellationToken) =>
        (await _results.QueryPageAsync($"PartitionKey eq {runId}", page, cancellationToken).ConfigureAwait(false)).Map(ResultOf);

    private static TableEntity Entity(RegressionRun run) => new(RunPartition, run.Id)
    {
        ["Name"] = run.Name,
        ["Dataset"] = run.Dataset,
        ["TwinId"] = run.TwinId,
        ["PromptLabel"] = run.PromptLabel,
        ["PromptVersion"] = run.PromptVersion,
        ["Model"] = run.Model,
        ["Temperature"] = run.Temperature,
        ["FewShot"] = run.FewShot,
        ["Baseline"] = run.Baseline,
        ["MaxItems"] = run.MaxItems,
        ["Status"] = run.Status,
        ["Total"] = run.Total,
        ["Done"] = run.Done,
        ["Failed"] = run.Failed,
        ["CreatedAt"] = run.CreatedAt,
        ["FinishedAt"] = run.FinishedAt,
        ["Error"] = run.Error,
    };

    private static RegressionRun RunOf(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Name = entity.GetString("Name") ?? "",
        Dataset = entity.GetString("Dataset") ?? "",
        TwinId = entity.GetString("TwinId") ?? "",
        PromptLabel = entity.GetString("PromptLabel"),
        PromptVersion = entity.GetInt32("PromptVersion"),
        Model = entity.GetString("Model"),
        Temperature = entity.GetDouble("Temperature"),
        FewShot = entity.GetBoolean("FewShot") ?? true,
        Baseline = entity.GetString("Baseline"),
        MaxItems = entity.GetInt32("MaxItems"),
        Status = entity.GetString("Status") ?? RegressionRun.Queued,
        Total = entity.GetInt32("Total"),
        Done = entity.GetInt32("Done") ?? 0,
        Failed = entity.GetInt32("Failed") ?? 0,
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
        FinishedAt = entity.GetDateTimeOffset("FinishedAt"),
        Error = entity.GetString("Error"),
        ETag = entity.ETag.ToString(),
    };

    private static TableEntity Entity(RegressionResult result)
    {
        var entity = new TableEntity(result.RunId, result.ItemId)
        {
            ["Status"] = result.Status,
            ["TraceId"] = result.TraceId,
            ["ObservationId"] = result.ObservationId,
            ["Scores"] = JsonSerializer.Serialize(result.Scores, Json),
            ["LatencyMs"] = result.LatencyMs,
            ["CostUsd"] = result.CostUsd is { } cost ? (double)cost : null,
            ["Error"] = result.Error,
            ["At"] = result.At,
        };
        ChunkedStringProperty.Write(entity, "Message", result.Message ?? "");
        ChunkedStringProperty.Write(entity, "ExpectedReply", result.ExpectedReply ?? "");
        ChunkedStringProperty.Write(entity, "Reply", result.Reply ?? "");
        return entity;
    }

    private static RegressionResult ResultOf(TableEntity entity) => new()
    {
        RunId = entity.PartitionKey,
        ItemId = entity.RowKey,
        Status = entity.GetString("Status") ?? "error",
        Message = ChunkedStringProperty.Read(entity, "Message"),
        ExpectedReply = ChunkedStringProperty.Read(entity, "ExpectedReply"),
        Reply = ChunkedStringProperty.Read(entity, "Reply"),
        TraceId = entity.GetString("TraceId"),
        ObservationId = entity.GetString("ObservationId"),
        Scores = JsonSerializer.Deserialize<Dictionary<string, double>>(entity.GetString("Scores") ?? "{}", Json) ?? [],
        LatencyMs = entity.GetInt64("LatencyMs") ?? 0,
        CostUsd = entity.GetDouble("CostUsd") is { } cost ? (decimal)cost : null,
        Error = entity.GetString("Error"),
        At = entity.GetDateTimeOffset("At") ?? default,
    };
}
