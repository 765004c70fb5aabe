using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Monitoring;

/// <summary>The <c>MonitorChecks</c> table: one partition, a row per check (its id).</summary>
public sealed class MonitorCheckStore(TableServiceClient tables)
{
    private const string Partition = "check";

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.MonitorChecks));

    public async Task<MonitorCheck?> FindAsync(string id, CancellationToken cancellationToken) =>
        TableKeys.IsValid(id) && await _store.FindAsync(Partition, id, cancellationToken).ConfigureAwait(false) is { } entity ? Of(entity) : null;

    public async Task<MonitorCheck> AddAsync(MonitorCheck check, CancellationToken cancellationToken) =>
        Of(await _store.AddAsync(Entity(check), cancellationToken).ConfigureAwait(false));

    public async Task<MonitorCheck> ReplaceAsync(MonitorCheck check, ETag ifMatch, CancellationToken cancellationToken) =>
        Of(await _store.ReplaceAsync(Entity(check), ifMatch, cancellationToken).ConfigureAwait(false));

    public Task<bool> DeleteAsync(string id, ETag ifMatch, CancellationToken cancellationToken) =>
        _store.DeleteAsync(Partition, id, ifMatch, cancellationToken);

    public async Task<ResultPage<MonitorCheck>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await _store.QueryPageAsync($"PartitionKey eq {Partition}", page, cancellationToken).ConfigureAwait(false)).Map(Of);

    public async Task<IReadOnlyList<MonitorCheck>> AllAsync(CancellationToken cancellationToken)
    {
        var checks = new List<MonitorCheck>();
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {Partition}", cancellationToken).ConfigureAwait(false))
        {
            checks.Add(Of(entity));
        }

        return checks;
    }

    private static TableEntity Entity(MonitorCheck check) => new(Partition, check.Id)
    {
        ["Name"] = check.Name,
        ["Kind"] = check.Kind,
        ["TwinId"] = check.TwinId,
        ["Url"] = check.Url,
        ["Message"] = check.Message,
        ["ExpectStatus"] = check.ExpectStatus,
        ["ExpectContains"] = check.ExpectContains,
        ["MaxLatencyMs"] = check.MaxLatencyMs,
        ["MinScore"] = check.MinScore,
        ["IntervalMinutes"] = check.IntervalMinutes,
        ["Enabled"] = check.Enabled,
        ["CreatedAt"] = check.CreatedAt,
        ["UpdatedAt"] = check.UpdatedAt,
    };

    private static MonitorCheck Of(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Name = entity.GetString("Name") ?? "",
        Kind = entity.GetString("Kind") ?? MonitorCheck.UrlKind,
        TwinId = entity.GetString("TwinId"),
        Url = entity.GetString("Url"),
        Message = entity.GetString("Message"),
        ExpectStatus = entity.GetInt32("ExpectStatus") ?? MonitorCheckValidator.DefaultExpectStatus,
        ExpectContains = entity.GetString("ExpectContains"),
        MaxLatencyMs = entity.GetInt32("MaxLatencyMs") ?? MonitorCheckValidator.DefaultMaxLatencyMs,
        MinScore = entity.GetDouble("MinScore"),
        IntervalMinutes = entity.GetInt32("IntervalMinutes") ?? MonitorCheckValidator.DefaultIntervalMinutes,
        Enabled = entity.GetBoolean("Enabled") ?? true,
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? default,
        ETag = entity.ETag.ToString(),
    };
}
