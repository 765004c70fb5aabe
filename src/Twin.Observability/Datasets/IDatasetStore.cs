namespace Twin.Observability.Datasets;

/// <summary>
/// Where datasets live: Langfuse when it is configured (so its UI, runs and experiments see them), the app's own
/// Table Storage otherwise. Both upsert items by id.
/// </summary>
public interface IDatasetStore
{
    /// <summary>Creates the dataset when it does not exist; leaves an existing one as it is.</summary>
    Task EnsureDatasetAsync(string name, string description, CancellationToken cancellationToken);

    Task UpsertItemAsync(DatasetItem item, CancellationToken cancellationToken);

    /// <summary>Whether the dataset holds an item of this id (an archived Langfuse item does not count).</summary>
    Task<bool> ItemExistsAsync(string datasetName, string itemId, CancellationToken cancellationToken);

    /// <summary>Whether a dataset of this name exists (it may have no items).</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every dataset with its item count.</summary>
    Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken);

    /// <summary>How many items the dataset holds (0 when it does not exist).</summary>
    Task<int> CountItemsAsync(string datasetName, CancellationToken cancellationToken);

    /// <summary>Every item of the dataset, oldest first where the store knows the order.</summary>
    IAsyncEnumerable<DatasetItem> ListItemsAsync(string datasetName, CancellationToken cancellationToken);
}

/// <summary>A dataset as <c>GET /api/manage/regression/datasets</c> lists it.</summary>
public sealed record DatasetSummary(string Name, string? Description, int ItemCount, DateTimeOffset? CreatedAt);
