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

    /// <summary>Every item of the dataset, oldest first where the store knows the order.</summary>
    IAsyncEnumerable<DatasetItem> ListItemsAsync(string datasetName, CancellationToken cancellationToken);
}
