using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;
using Twin.Observability.Storage;

namespace Twin.Benchmarks.Metrics;

/// <summary>
/// The ledger, rollups, watermark and query as the app builds them (the tests' <c>MetricsTestbed</c>), on one Azurite
/// account, with a clock the measurement sets and a <see cref="StorageMeter"/> in every Table client's pipeline.
/// </summary>
internal sealed class MetricsRig
{
    private MetricsRig(TableServiceClient tables, BlobServiceClient blobs, MetricsOptions options, StorageMeter meter, FakeTimeProvider clock)
    {
        Meter = meter;
        Clock = clock;
        LedgerTable = tables.GetTableClient(StorageNames.Tables.Ledger);
        Ledger = new LedgerStore(tables, Options.Create(new LedgerOptions()));
        Rollups = new RollupStore(tables);
        Watermarks = new RollupWatermarkStore(tables);
        Rollup = new MetricsRollup(Ledger, Rollups, Watermarks, new DirtyMinuteStore(tables, Watermarks), new RollupLease(blobs), Options.Create(options), clock, NullLogger<MetricsRollup>.Instance);
        Query = new MetricsQuery(Rollups, Watermarks, Ledger);
    }

    public StorageMeter Meter { get; }

    public FakeTimeProvider Clock { get; }

    public TableClient LedgerTable { get; }

    public LedgerStore Ledger { get; }

    public RollupStore Rollups { get; }

    public RollupWatermarkStore Watermarks { get; }

    public MetricsRollup Rollup { get; }

    public MetricsQuery Query { get; }

    public static async Task<MetricsRig> CreateAsync(string connectionString, MetricsOptions options, FakeTimeProvider clock)
    {
        var meter = new StorageMeter();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(meter, HttpPipelinePosition.PerRetry);
        var tables = new TableServiceClient(connectionString, tableOptions);
        foreach (var name in new[] { StorageNames.Tables.Ledger, StorageNames.Tables.DirtyMinutes, StorageNames.Tables.Settings }.Concat(RollupKeys.Tables))
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        var blobs = new BlobServiceClient(connectionString);
        await blobs.GetBlobContainerClient(StorageNames.Containers.Locks).CreateIfNotExistsAsync();
        return new MetricsRig(tables, blobs, options, meter, clock);
    }
}
