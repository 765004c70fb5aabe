using System.Globalization;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Alerts;

/// <summary>
/// The <c>AlertHistory</c> table, newest first: partition = the day inverted (<c>99999999 - yyyyMMdd</c>), row = the
/// time inverted in ticks plus a random suffix, so a table scan in key order is a walk back in time and a time range
/// is a range of keys.
/// </summary>
public sealed class AlertHistoryStore(TableServiceClient tables)
{
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.AlertHistory));

    public async Task AddAsync(IEnumerable<AlertHistoryEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            await _store.AddAsync(Entity(entry), cancellationToken).ConfigureAwait(false);
        }
    }

    public static string NewId(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Entries in [<paramref name="from"/>, <paramref name="to"/>), newest first, optionally of one rule.</summary>
    public async Task<ResultPage<AlertHistoryEntry>> ListAsync(DateTimeOffset from, DateTimeOffset to, string? ruleId, PageRequest page, CancellationToken cancellationToken)
    {
        var firstPartition = Partition(to);
        var lastPartition = Partition(from);
        var firstRow = NewId(to)[..19] + "~";
        var lastRow = NewId(from)[..19] + "~";
        var clauses = new List<FormattableString>
        {
            $"PartitionKey ge {firstPartition} and PartitionKey le {lastPartition} and RowKey gt {firstRow} and RowKey le {lastRow}",
        };
        if (ruleId is not null)
        {
            clauses.Add($"RuleId eq {ruleId}");
        }

        return (await _store.QueryPageWhereAllAsync(clauses, page, cancellationToken).ConfigureAwait(false)).Map(Of);
    }

    private static string Partition(DateTimeOffset at) =>
        (99_999_999 - int.Parse(at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToString("D8", CultureInfo.InvariantCulture);

    private static TableEntity Entity(AlertHistoryEntry entry) => new(Partition(entry.At), entry.Id)
    {
        ["At"] = entry.At,
        ["Kind"] = entry.Kind,
        ["RuleId"] = entry.RuleId,
        ["RuleName"] = entry.RuleName,
        ["From"] = entry.From,
        ["To"] = entry.To,
        ["Value"] = entry.Value,
        ["Threshold"] = entry.Threshold,
        ["Event"] = entry.Event,
        ["NotificationId"] = entry.NotificationId,
        ["Channel"] = entry.Channel,
        ["Target"] = entry.Target,
        ["Delivered"] = entry.Delivered,
        ["Attempts"] = entry.Attempts,
        ["StatusCode"] = entry.StatusCode,
        ["Detail"] = entry.Detail,
    };

    private static AlertHistoryEntry Of(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        At = entity.GetDateTimeOffset("At") ?? default,
        Kind = entity.GetString("Kind") ?? "",
        RuleId = entity.GetString("RuleId") ?? "",
        RuleName = entity.GetString("RuleName"),
        From = entity.GetString("From"),
        To = entity.GetString("To"),
        Value = entity.GetDouble("Value"),
        Threshold = entity.GetDouble("Threshold"),
        Event = entity.GetString("Event"),
        NotificationId = entity.GetString("NotificationId"),
        Channel = entity.GetString("Channel"),
        Target = entity.GetString("Target"),
        Delivered = entity.GetBoolean("Delivered"),
        Attempts = entity.GetInt32("Attempts"),
        StatusCode = entity.GetInt32("StatusCode"),
        Detail = entity.GetString("Detail"),
    };
}
