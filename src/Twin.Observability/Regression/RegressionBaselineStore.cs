using System.Globalization;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Regression;

/// <summary>
/// Named baselines (<c>RegressionBaselines</c>): partition = the name, a row per version with the run it points at,
/// keyed by the version inverted so the newest comes first. Saving claims the next version with an insert, so two
/// saves at once get two versions.
/// </summary>
public sealed class RegressionBaselineStore(TableServiceClient tables, TimeProvider time)
{
    private const int MaxVersion = 999_999_999;
    private readonly TableStore<TableEntity> _store = new(tables.GetTableClient(StorageNames.Tables.RegressionBaselines));

    public async Task<RegressionBaseline> SaveAsync(string name, string runId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var version = ((await LatestAsync(name, cancellationToken).ConfigureAwait(false))?.Version ?? 0) + 1;
            var entity = new TableEntity(name, Key(version)) { ["Version"] = version, ["TestId"] = runId, ["CreatedAt"] = time.GetUtcNow() };
            try
            {
                return Of(await _store.AddAsync(entity, cancellationToken).ConfigureAwait(false));
            }
            catch (ResourceConflictException) when (attempt < 10)
            {
                // Another save took this version first: take the next.
            }
        }
    }

    public async Task<RegressionBaseline?> LatestAsync(string name, CancellationToken cancellationToken)
    {
        var page = await _store.QueryPageAsync($"PartitionKey eq {name}", new PageRequest(1, null), cancellationToken).ConfigureAwait(false);
        return page.Items.Count > 0 ? Of(page.Items[0]) : null;
    }

    public async Task<IReadOnlyList<RegressionBaseline>> VersionsAsync(string name, CancellationToken cancellationToken)
    {
        var versions = new List<RegressionBaseline>();
        await foreach (var entity in _store.QueryAllAsync($"PartitionKey eq {name}", cancellationToken).ConfigureAwait(false))
        {
            versions.Add(Of(entity));
        }

        return versions;
    }

    private static string Key(int version) => (MaxVersion - version).ToString("D9", CultureInfo.InvariantCulture);

    private static RegressionBaseline Of(TableEntity entity) =>
        new(entity.PartitionKey, entity.GetInt32("Version") ?? 0, entity.GetString("TestId") ?? "", entity.GetDateTimeOffset("CreatedAt") ?? default);
}

/// <summary>One version of a named baseline: the finished run it points at.</summary>
public sealed record RegressionBaseline(string Name, int Version, string TestId, DateTimeOffset CreatedAt);
