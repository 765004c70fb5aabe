using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Common;

/// <summary>
/// On/off switches that outlive restarts and are shared by every instance (the <c>Settings</c> table, partition
/// <c>switches</c>): whether alert evaluation and synthetic checks run. A switch never set is off.
/// </summary>
public sealed class PersistedSwitchStore(TableServiceClient tables, TimeProvider time)
{
    private const string Partition = "switches";

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Settings));

    public async Task<PersistedSwitch> GetAsync(string name, CancellationToken cancellationToken) =>
        await _store.FindAsync(Partition, name, cancellationToken).ConfigureAwait(false) is { } entity
            ? new PersistedSwitch(name, entity.GetBoolean("On") ?? false, entity.GetDateTimeOffset("ChangedAt"))
            : new PersistedSwitch(name, false, null);

    public async Task<PersistedSwitch> SetAsync(string name, bool on, CancellationToken cancellationToken)
    {
        var changedAt = time.GetUtcNow();
        await _store.UpsertAsync(new TableEntity(Partition, name) { ["On"] = on, ["ChangedAt"] = changedAt }, cancellationToken).ConfigureAwait(false);
        return new PersistedSwitch(name, on, changedAt);
    }
}

public sealed record PersistedSwitch(string Name, bool On, DateTimeOffset? ChangedAt);
