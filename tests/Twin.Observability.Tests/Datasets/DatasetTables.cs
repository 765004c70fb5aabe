using Azure.Data.Tables;
using Twin.Observability.Storage;
using Twin.Testing;

namespace Twin.Observability.Tests.Datasets;

/// <summary>The dataset tables on Azurite, created as start-up would create them.</summary>
internal static class DatasetTables
{
    public static async Task<TableServiceClient> CreateAsync()
    {
        var tables = new TableServiceClient(AzuriteFixture.ConnectionString);
        foreach (var name in new[] { StorageNames.Tables.Datasets, StorageNames.Tables.DatasetItems, StorageNames.Tables.DatasetFingerprints, StorageNames.Tables.DatasetBuckets, StorageNames.Tables.Ledger })
        {
            await tables.GetTableClient(name).CreateIfNotExistsAsync();
        }

        return tables;
    }

    /// <summary>A dataset name no other test uses, with a folder slash as Langfuse allows.</summary>
    public static string UniqueName(string prefix = "tests/ds") => $"{prefix}-{Guid.NewGuid():N}";
}
