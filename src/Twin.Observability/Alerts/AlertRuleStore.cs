using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Alerts;

/// <summary>The <c>AlertRules</c> table: one partition, a row per rule (its id), channels as JSON with their secrets encrypted.</summary>
public sealed class AlertRuleStore(TableServiceClient tables)
{
    private const string Partition = "rule";

    private static readonly JsonSerializerOptions ChannelJson = new(JsonSerializerDefaults.Web);

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.AlertRules));

    public async Task<AlertRule?> FindAsync(string id, CancellationToken cancellationToken) =>
        TableKeys.IsValid(id) && await _store.FindAsync(Partition, id, cancellationToken).ConfigureAwait(false) is { } entity ? Of(entity) : null;

    public async Task<AlertRule> AddAsync(AlertRule rule, CancellationToken cancellationToken) =>
        Of(await _store.AddAsync(Entity(rule), cancellationToken).ConfigureAwait(false));

    public async Task<AlertRule> ReplaceAsync(AlertRule rule, ETag ifMatch, CancellationToken cancellationToken) =>
        Of(await _store.ReplaceAsync(Entity(rule), ifMatch, cancellationToken).ConfigureAwait(false));

    public Task<bool> DeleteAsync(string id, ETag ifMatch, CancellationToken cancellationToken) =>
        _store.DeleteAsync(Partition, id, ifMatch, cancellationToken);

    public async Task<ResultPage<AlertRule>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await _store.QueryPageAsync($"PartitionKey eq {Partition}", page, cancellationToken).ConfigureAwait(false)).Map(Of);

    public async Task<IReadOnlyList<AlertRule>> AllAsync(CancellationToken cancellationToken)
    {
        var rules = new List<AlertRule>();
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {Partition}", cancellationToken).ConfigureAwait(false))
        {
            rules.Add(Of(entity));
        }

        return rules;
    }

    private static TableEntity Entity(AlertRule rule) => new(Partition, rule.Id)
    {
        ["Name"] = rule.Name,
        ["Metric"] = rule.Metric,
        ["TwinId"] = rule.TwinId,
        ["WindowMinutes"] = rule.WindowMinutes,
        ["Comparator"] = rule.Comparator,
        ["Threshold"] = rule.Threshold,
        ["WarningThreshold"] = rule.WarningThreshold,
        ["Baseline"] = rule.Baseline,
        ["ForEvaluations"] = rule.ForEvaluations,
        ["CooldownMinutes"] = rule.CooldownMinutes,
        ["RenotifyMinutes"] = rule.RenotifyMinutes,
        ["NotifyOnRecovery"] = rule.NotifyOnRecovery,
        ["NoData"] = rule.NoData,
        ["Severity"] = rule.Severity,
        ["Channels"] = JsonSerializer.Serialize(rule.StoredChannels, ChannelJson),
        ["Enabled"] = rule.Enabled,
        ["CreatedAt"] = rule.CreatedAt,
        ["UpdatedAt"] = rule.UpdatedAt,
    };

    private static AlertRule Of(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Name = entity.GetString("Name") ?? "",
        Metric = entity.GetString("Metric") ?? "",
        TwinId = entity.GetString("TwinId"),
        WindowMinutes = entity.GetInt32("WindowMinutes") ?? 5,
        Comparator = entity.GetString("Comparator") ?? "gt",
        Threshold = entity.GetDouble("Threshold") ?? 0,
        WarningThreshold = entity.GetDouble("WarningThreshold"),
        Baseline = entity.GetString("Baseline"),
        ForEvaluations = entity.GetInt32("ForEvaluations") ?? 1,
        CooldownMinutes = entity.GetInt32("CooldownMinutes") ?? 0,
        RenotifyMinutes = entity.GetInt32("RenotifyMinutes"),
        NotifyOnRecovery = entity.GetBoolean("NotifyOnRecovery") ?? true,
        NoData = entity.GetString("NoData") ?? "ok",
        Severity = entity.GetString("Severity") ?? "warning",
        StoredChannels = JsonSerializer.Deserialize<List<StoredAlertChannel>>(entity.GetString("Channels") ?? "[]", ChannelJson) ?? [],
        Enabled = entity.GetBoolean("Enabled") ?? true,
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? default,
        ETag = entity.ETag.ToString(),
    };
}
