using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Alerts;

/// <summary>The <c>AlertStates</c> table: a row per rule. Writes carry the ETag they read, so an evaluation that lost a race learns it (412) and sends nothing.</summary>
public sealed class AlertStateStore(TableServiceClient tables)
{
    private const string Partition = "state";

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.AlertStates));

    /// <summary>The rule's state; a new <c>ok</c> one (without an ETag) when it was never evaluated.</summary>
    public async Task<AlertState> GetAsync(string ruleId, CancellationToken cancellationToken) =>
        await _store.FindAsync(Partition, ruleId, cancellationToken).ConfigureAwait(false) is { } entity ? Of(entity) : new AlertState { RuleId = ruleId };

    public async Task<IReadOnlyList<AlertState>> AllAsync(CancellationToken cancellationToken)
    {
        var states = new List<AlertState>();
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {Partition}", cancellationToken).ConfigureAwait(false))
        {
            states.Add(Of(entity));
        }

        return states;
    }

    /// <summary>
    /// Saves <paramref name="next"/> if the row is still as <paramref name="read"/> was; false when another evaluation
    /// wrote it first (or created it first), in which case this one must not notify.
    /// </summary>
    public async Task<bool> TryClaimAsync(AlertState read, AlertState next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            if (read.ETag is null)
            {
                await _store.AddAsync(Entity(next), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store.ReplaceAsync(Entity(next), new ETag(read.ETag), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is PreconditionFailedException or ResourceConflictException)
        {
            return false;
        }
    }

    public Task<bool> DeleteAsync(string ruleId, CancellationToken cancellationToken) =>
        _store.DeleteAsync(Partition, ruleId, ETag.All, cancellationToken);

    private static TableEntity Entity(AlertState state) => new(Partition, state.RuleId)
    {
        ["Status"] = state.Status,
        ["Breaches"] = state.Breaches,
        ["Warning"] = state.Warning,
        ["LastValue"] = state.LastValue,
        ["LastEvaluatedAt"] = state.LastEvaluatedAt,
        ["Since"] = state.Since,
        ["NotifiedAt"] = state.NotifiedAt,
        ["LastFiringNotifiedAt"] = state.LastFiringNotifiedAt,
        ["LastWarningNotifiedAt"] = state.LastWarningNotifiedAt,
    };

    private static AlertState Of(TableEntity entity) => new()
    {
        RuleId = entity.RowKey,
        Status = entity.GetString("Status") ?? AlertState.Ok,
        Breaches = entity.GetInt32("Breaches") ?? 0,
        Warning = entity.GetBoolean("Warning") ?? false,
        LastValue = entity.GetDouble("LastValue"),
        LastEvaluatedAt = entity.GetDateTimeOffset("LastEvaluatedAt"),
        Since = entity.GetDateTimeOffset("Since"),
        NotifiedAt = entity.GetDateTimeOffset("NotifiedAt"),
        LastFiringNotifiedAt = entity.GetDateTimeOffset("LastFiringNotifiedAt"),
        LastWarningNotifiedAt = entity.GetDateTimeOffset("LastWarningNotifiedAt"),
        ETag = entity.ETag.ToString(),
    };
}
