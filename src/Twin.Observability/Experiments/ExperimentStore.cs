using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Experiments;

/// <summary>
/// The <c>Experiments</c> table: a row per test (partition <c>test</c>), changed only with its ETag, and a claim row
/// per twin with a running test (partition <c>running</c>, row = twin id). Adding the claim is how "at most one running
/// test per twin" holds across instances: the second add is a 409.
/// </summary>
public sealed class ExperimentStore(TableServiceClient tables)
{
    private const string TestPartition = "test";
    private const string RunningPartition = "running";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableStore<TableEntity> _table = new(tables.GetTableClient(StorageNames.Tables.Experiments));

    /// <summary>Claims the twin for <paramref name="testId"/>; a <see cref="ResourceConflictException"/> when a test holds it.</summary>
    public Task ClaimTwinAsync(string twinId, string testId, CancellationToken cancellationToken) =>
        _table.AddAsync(new TableEntity(RunningPartition, twinId) { ["TestId"] = testId }, cancellationToken);

    public async Task<string?> RunningTestIdAsync(string twinId, CancellationToken cancellationToken) =>
        (await _table.FindAsync(RunningPartition, twinId, cancellationToken).ConfigureAwait(false))?.GetString("TestId");

    /// <summary>Releases the twin's claim if <paramref name="testId"/> still holds it.</summary>
    public async Task ReleaseTwinAsync(string twinId, string testId, CancellationToken cancellationToken)
    {
        if (await _table.FindAsync(RunningPartition, twinId, cancellationToken).ConfigureAwait(false) is { } claim && claim.GetString("TestId") == testId)
        {
            await _table.DeleteAsync(RunningPartition, twinId, claim.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<AbTest> AddAsync(AbTest test, CancellationToken cancellationToken) =>
        TestOf(await _table.AddAsync(Entity(test), cancellationToken).ConfigureAwait(false));

    public async Task<AbTest?> FindAsync(string id, CancellationToken cancellationToken) =>
        TableKeys.IsValid(id) && await _table.FindAsync(TestPartition, id, cancellationToken).ConfigureAwait(false) is { } entity ? TestOf(entity) : null;

    /// <summary>Replaces the test if unchanged since its ETag was read; a <see cref="PreconditionFailedException"/> otherwise.</summary>
    public async Task<AbTest> ReplaceAsync(AbTest test, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(test);
        return TestOf(await _table.ReplaceAsync(Entity(test), new ETag(test.ETag!), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Every test, newest first.</summary>
    public async Task<IReadOnlyList<AbTest>> ListAsync(CancellationToken cancellationToken)
    {
        var tests = new List<AbTest>();
        await foreach (var entity in _table.QueryAllAsync($"PartitionKey eq {TestPartition}", cancellationToken).ConfigureAwait(false))
        {
            tests.Add(TestOf(entity));
        }

        return [.. tests.OrderByDescending(t => t.CreatedAt)];
    }

    private static TableEntity Entity(AbTest test) => new(TestPartition, test.Id)
    {
        ["Name"] = test.Name,
        ["TwinId"] = test.TwinId,
        ["Variants"] = JsonSerializer.Serialize(test.Variants, Json),
        ["PrimaryMetric"] = test.PrimaryMetric,
        ["SecondaryMetrics"] = JsonSerializer.Serialize(test.SecondaryMetrics, Json),
        ["MinSamples"] = test.MinSamples,
        ["Status"] = test.Status,
        ["CreatedAt"] = test.CreatedAt,
        ["StartedAt"] = test.StartedAt,
        ["EndsAt"] = test.EndsAt,
        ["StoppedAt"] = test.StoppedAt,
    };

    private static AbTest TestOf(TableEntity e) => new()
    {
        Id = e.RowKey,
        Name = e.GetString("Name") ?? e.RowKey,
        TwinId = e.GetString("TwinId") ?? "",
        Variants = JsonSerializer.Deserialize<List<AbTestVariant>>(e.GetString("Variants") ?? "[]", Json) ?? [],
        PrimaryMetric = e.GetString("PrimaryMetric") ?? "",
        SecondaryMetrics = JsonSerializer.Deserialize<List<string>>(e.GetString("SecondaryMetrics") ?? "[]", Json) ?? [],
        MinSamples = e.GetInt32("MinSamples") ?? 100,
        Status = e.GetString("Status") ?? AbTest.Stopped,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        StartedAt = e.GetDateTimeOffset("StartedAt") ?? default,
        EndsAt = e.GetDateTimeOffset("EndsAt"),
        StoppedAt = e.GetDateTimeOffset("StoppedAt"),
        ETag = e.ETag.ToString(),
    };
}
