using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Metrics;

/// <summary>The rollup watermark, one row of the <c>Settings</c> table, changed only with its ETag.</summary>
public sealed class RollupWatermarkStore(TableServiceClient tables)
{
    private const string Partition = "metrics";
    private const string Row = "rollup-watermark";

    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.Settings));

    public async Task<RollupWatermark?> GetAsync(CancellationToken cancellationToken) =>
        await _store.FindAsync(Partition, Row, cancellationToken).ConfigureAwait(false) is { } entity ? Of(entity) : null;

    /// <summary>Starts the watermark at <paramref name="start"/>; <see cref="Common.ResourceConflictException"/> when another run did first.</summary>
    public async Task<RollupWatermark> CreateAsync(DateTimeOffset start, CancellationToken cancellationToken) =>
        Of(await _store.AddAsync(Entity(start, start), cancellationToken).ConfigureAwait(false));

    /// <summary>Moves the watermark; <see cref="Common.PreconditionFailedException"/> when it changed since <paramref name="current"/> was read.</summary>
    public async Task<RollupWatermark> UpdateAsync(RollupWatermark current, DateTimeOffset done, DateTimeOffset claimed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        return Of(await _store.ReplaceAsync(Entity(done, claimed), current.ETag, cancellationToken).ConfigureAwait(false));
    }

    private static TableEntity Entity(DateTimeOffset done, DateTimeOffset claimed) => new(Partition, Row)
    {
        ["Done"] = done,
        ["Claimed"] = claimed,
    };

    private static RollupWatermark Of(TableEntity entity) => new(
        entity.GetDateTimeOffset("Done") ?? throw new FormatException("The rollup watermark has no Done."),
        entity.GetDateTimeOffset("Claimed") ?? entity.GetDateTimeOffset("Done")!.Value,
        entity.ETag);
}
