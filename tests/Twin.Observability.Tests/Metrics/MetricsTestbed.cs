using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Ledger;
using Twin.Observability.Metrics;
using Twin.Observability.Storage;
using Twin.Testing;

namespace Twin.Observability.Tests.Metrics;

/// <summary>
/// The ledger, rollups and watermark in an Azurite account of their own (the watermark is one per account), with a
/// clock the test moves.
/// </summary>
internal sealed class MetricsTestbed
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private MetricsTestbed(TableServiceClient tables, BlobServiceClient blobs, MetricsOptions options)
    {
        Tables = tables;
        Ledger = new LedgerStore(tables, Options.Create(new LedgerOptions()));
        Rollups = new RollupStore(tables);
        Watermarks = new RollupWatermarkStore(tables);
        DirtyMinutes = new DirtyMinuteStore(tables, Watermarks);
        Lease = new RollupLease(blobs);
        Rollup = new MetricsRollup(Ledger, Rollups, Watermarks, DirtyMinutes, Lease, Options.Create(options), Clock, NullLogger<MetricsRollup>.Instance);
        Query = new MetricsQuery(Rollups, Watermarks, Ledger);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public TableServiceClient Tables { get; }

    public LedgerStore Ledger { get; }

    public RollupStore Rollups { get; }

    public RollupWatermarkStore Watermarks { get; }

    public DirtyMinuteStore DirtyMinutes { get; }

    public RollupLease Lease { get; }

    public MetricsRollup Rollup { get; }

    public MetricsQuery Query { get; }

    public static async Task<MetricsTestbed> CreateAsync(MetricsOptions? options = null)
    {
        var connection = AzuriteFixture.NewAccountConnectionString();
        var tables = new TableServiceClient(connection);
        foreach (var name in new[] { StorageNames.Tables.Ledger, StorageNames.Tables.DirtyMinutes, StorageNames.Tables.Settings }.Concat(RollupKeys.Tables))
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        var blobs = new BlobServiceClient(connection);
        await blobs.GetBlobContainerClient(StorageNames.Containers.Locks).CreateIfNotExistsAsync();
        return new MetricsTestbed(tables, blobs, options ?? new MetricsOptions());
    }

    public Task WriteAsync(DateTimeOffset at, string twinId = "demo", string status = "ok", long latencyMs = 100, string? errorType = null, decimal? cost = 0.001m, IReadOnlyDictionary<string, double>? scores = null, string? traceId = null, IReadOnlyList<string>? violations = null, string? dataset = null) =>
        Ledger.WriteAsync(Row(at, twinId, status, latencyMs, errorType, cost, scores, traceId) with { Violations = violations ?? [], Dataset = dataset }, default);

    public static LedgerEntry Row(DateTimeOffset at, string twinId = "demo", string status = "ok", long latencyMs = 100, string? errorType = null, decimal? cost = 0.001m, IReadOnlyDictionary<string, double>? scores = null, string? traceId = null) => new()
    {
        TraceId = traceId ?? Guid.NewGuid().ToString("N"),
        ObservationId = "00f067aa0ba902b7",
        TwinId = twinId,
        Endpoint = "chat",
        Environment = "test",
        Timestamp = at,
        LatencyMs = latencyMs,
        Model = status == "ok" ? "twin-offline" : null,
        InputTokens = status == "ok" ? 10 : 0,
        OutputTokens = status == "ok" ? 20 : 0,
        CostUsd = status == "ok" ? cost : null,
        Status = status,
        HttpStatus = status == "ok" ? 200 : 429,
        ErrorType = errorType,
        PromptName = "twin-system",
        PromptVersion = 3,
        Scores = scores ?? new Dictionary<string, double>(),
    };

    /// <summary>Every rollup entity, with its properties minus the service's timestamp and ETag, for comparing runs.</summary>
    public async Task<IReadOnlyList<string>> RollupRowsAsync()
    {
        var rows = new List<string>();
        foreach (var table in RollupKeys.Tables)
        {
            await foreach (var entity in Tables.GetTableClient(table).QueryAsync<TableEntity>())
            {
                rows.Add(string.Join(";", entity.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).Order(StringComparer.Ordinal)
                    .Select(k => $"{k}={(entity[k] is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(entity[k], System.Globalization.CultureInfo.InvariantCulture))}")));
            }
        }

        return rows;
    }
}
