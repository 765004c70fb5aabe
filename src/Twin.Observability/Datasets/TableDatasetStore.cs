using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Twin.Observability.Storage;

namespace Twin.Observability.Datasets;

/// <summary>
/// Datasets in the app's own Table Storage, for when Langfuse is off: <c>Datasets</c> (one row per dataset) and
/// <c>DatasetItems</c> (partition = dataset, row = item id, so an upsert by id is one write and a dataset one partition).
/// </summary>
public sealed class TableDatasetStore(TableServiceClient tables, TimeProvider time) : IDatasetStore
{
    private const string DatasetPartition = "dataset";
    private readonly TableStore<TableEntity> _datasets = new(tables.GetTableClient(StorageNames.Tables.Datasets));
    private readonly TableStore<TableEntity> _items = new(tables.GetTableClient(StorageNames.Tables.DatasetItems));

    // One look-and-create per dataset and instance: concurrent evaluations of one twin share it instead of racing to a 409.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _ensured = new(StringComparer.Ordinal);

    public async Task EnsureDatasetAsync(string name, string description, CancellationToken cancellationToken)
    {
        var ensure = _ensured.GetOrAdd(name, n => new Lazy<Task>(() => CreateIfMissingAsync(n, description)));
        try
        {
            await ensure.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (ensure.Value.IsFaulted)
        {
            _ensured.TryRemove(KeyValuePair.Create(name, ensure));
            throw;
        }
    }

    private async Task CreateIfMissingAsync(string name, string description)
    {
        var cancellationToken = CancellationToken.None;
        if (await _datasets.FindAsync(DatasetPartition, DatasetKeys.Of(name), cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        try
        {
            await _datasets.AddAsync(
                new TableEntity(DatasetPartition, DatasetKeys.Of(name))
                {
                    ["Name"] = name,
                    ["Description"] = description,
                    ["CreatedAt"] = time.GetUtcNow(),
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Common.ResourceConflictException)
        {
            // Another instance created it between the look and the add: it exists, which is all that was asked.
        }
    }

    public async Task UpsertItemAsync(DatasetItem item, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var existing = await _items.FindAsync(DatasetKeys.Of(item.DatasetName), item.Id, cancellationToken).ConfigureAwait(false);
        await _items.UpsertAsync(EntityOf(item, existing?.GetDateTimeOffset("CreatedAt") ?? now, now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds or replaces many items at once (an import, a benchmark's fill): entity-group transactions of up to 100 items
    /// of one dataset, each all-or-nothing. Items are stamped as created now; existing ones are not read first.
    /// </summary>
    public Task UpsertItemsAsync(IEnumerable<DatasetItem> items, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return _items.UpsertManyAsync(items.Select(item => EntityOf(item, now, now)), cancellationToken);
    }

    private static TableEntity EntityOf(DatasetItem item, DateTimeOffset createdAt, DateTimeOffset now)
    {
        var entity = new TableEntity(DatasetKeys.Of(item.DatasetName), item.Id)
        {
            ["SourceTraceId"] = item.SourceTraceId,
            ["SourceObservationId"] = item.SourceObservationId,
            ["Metadata"] = item.Metadata.ToJsonString(),
            ["CreatedAt"] = createdAt,
            ["UpdatedAt"] = now,
        };
        ChunkedStringProperty.Write(entity, "Input", item.Input.ToJsonString());
        ChunkedStringProperty.Write(entity, "ExpectedOutput", item.ExpectedOutput.ToJsonString());
        return entity;
    }

    public async Task<bool> ItemExistsAsync(string datasetName, string itemId, CancellationToken cancellationToken) =>
        await _items.FindAsync(DatasetKeys.Of(datasetName), itemId, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken) =>
        await _datasets.FindAsync(DatasetPartition, DatasetKeys.Of(name), cancellationToken).ConfigureAwait(false) is not null;

    public async Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken)
    {
        var datasets = new List<DatasetSummary>();
        await foreach (var dataset in _datasets.QueryAllAsync($"PartitionKey eq {DatasetPartition}", cancellationToken).ConfigureAwait(false))
        {
            var count = await CountItemsAsync(DatasetKeys.NameOf(dataset.RowKey), cancellationToken).ConfigureAwait(false);
            datasets.Add(new DatasetSummary(dataset.GetString("Name") ?? dataset.RowKey, dataset.GetString("Description"), count, dataset.GetDateTimeOffset("CreatedAt")));
        }

        return datasets;
    }

    public async Task<int> CountItemsAsync(string datasetName, CancellationToken cancellationToken)
    {
        // Items are counted by reading their keys: the table keeps no counter that concurrent collectors would contend on.
        var count = 0;
        await foreach (var _ in _items.QueryKeysAsync($"PartitionKey eq {DatasetKeys.Of(datasetName)}", cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    public async IAsyncEnumerable<DatasetItem> ListItemsAsync(string datasetName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partition = DatasetKeys.Of(datasetName);
        await foreach (var e in _items.QueryAllAsync($"PartitionKey eq {partition}", cancellationToken).ConfigureAwait(false))
        {
            yield return new DatasetItem(
                e.RowKey,
                datasetName,
                ParseObject(ChunkedStringProperty.Read(e, "Input")),
                ParseObject(ChunkedStringProperty.Read(e, "ExpectedOutput")),
                ParseObject(e.GetString("Metadata")),
                e.GetString("SourceTraceId"),
                e.GetString("SourceObservationId"));
        }
    }

    private static JsonObject ParseObject(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonNode.Parse(json) as JsonObject ?? [];
}
