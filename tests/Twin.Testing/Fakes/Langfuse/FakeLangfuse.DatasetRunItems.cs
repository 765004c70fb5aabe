using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Twin.Testing.Fakes.Langfuse;

// /api/public/dataset-run-items: links a trace to a dataset item under a run name; the run is created by its first item.
public sealed partial class FakeLangfuse
{
    public const string DatasetRunItemsPath = "/api/public/dataset-run-items";

    private readonly List<FakeDatasetRunItem> _datasetRunItems = [];

    /// <summary>Every run item stored, in order of creation.</summary>
    public IReadOnlyList<FakeDatasetRunItem> DatasetRunItems
    {
        get
        {
            lock (_gate)
            {
                return [.. _datasetRunItems];
            }
        }
    }

    private void MapDatasetRunItems(WebApplication app) =>
        app.MapPost(DatasetRunItemsPath, (Delegate)((HttpContext context) => ServeAsync(context, DatasetRunItemsPath, (_, body) => CreateDatasetRunItem(body!.Value))));

    private RestAnswer CreateDatasetRunItem(JsonElement body)
    {
        var runName = StringProperty(body, "runName")!;
        var itemId = StringProperty(body, "datasetItemId")!;
        lock (_gate)
        {
            if (_datasetItems.Find(i => i.Id == itemId) is not { } item)
            {
                return RestAnswer.NotFound($"Dataset item not found: {itemId}");
            }

            // As Langfuse derives it: the run id is a hash of the dataset and the run name, the same for every item.
            var runId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{item.DatasetName}|{runName}")))[..16];
            var now = DateTimeOffset.UtcNow;
            var stored = new FakeDatasetRunItem(Guid.NewGuid().ToString("N"), runId, runName, itemId, StringProperty(body, "traceId"), StringProperty(body, "observationId"), now);
            _datasetRunItems.Add(stored);
            return RestAnswer.Ok(new
            {
                id = stored.Id,
                datasetRunId = stored.DatasetRunId,
                datasetRunName = stored.DatasetRunName,
                datasetItemId = stored.DatasetItemId,
                traceId = stored.TraceId,
                observationId = stored.ObservationId,
                createdAt = now,
                updatedAt = now,
            });
        }
    }
}

/// <summary>A trace linked to a dataset item under a run.</summary>
public sealed record FakeDatasetRunItem(string Id, string DatasetRunId, string DatasetRunName, string DatasetItemId, string? TraceId, string? ObservationId, DateTimeOffset CreatedAt);
