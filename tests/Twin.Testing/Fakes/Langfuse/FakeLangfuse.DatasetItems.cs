using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;

namespace Twin.Testing.Fakes.Langfuse;

// /api/public/dataset-items: items upserted by id (ids are unique across the project's datasets), listed and read.
public sealed partial class FakeLangfuse
{
    public const string DatasetItemsPath = "/api/public/dataset-items";

    private const string DatasetItemByIdPath = DatasetItemsPath + "/{id}";

    private readonly List<FakeDatasetItem> _datasetItems = [];
    private int _datasetItemPostCount;

    /// <summary>The stored dataset items of every dataset, in order of creation.</summary>
    public IReadOnlyList<FakeDatasetItem> DatasetItems
    {
        get
        {
            lock (_gate)
            {
                return [.. _datasetItems];
            }
        }
    }

    /// <summary>Every <c>POST /api/public/dataset-items</c> received, whatever the answer.</summary>
    public int DatasetItemPostCount
    {
        get
        {
            lock (_gate)
            {
                return _datasetItemPostCount;
            }
        }
    }

    /// <summary>Seeds an item as <c>POST /api/public/dataset-items</c> would; the dataset must exist (see <see cref="AddDataset"/>).</summary>
    public FakeDatasetItem AddDatasetItem(string datasetName, object? input, object? expectedOutput = null, object? metadata = null, string? id = null, string? sourceTraceId = null)
    {
        var body = JsonSerializer.SerializeToElement(new { datasetName, input, expectedOutput, metadata, id, sourceTraceId }, Json);
        var answer = UpsertDatasetItem(body, out var item);
        return item ?? throw new InvalidOperationException($"Cannot add the item: {answer.Error}");
    }

    private void MapDatasetItems(WebApplication app)
    {
        app.MapPost(DatasetItemsPath, (Delegate)((HttpContext context) =>
        {
            Interlocked.Increment(ref _datasetItemPostCount);
            return ServeAsync(context, DatasetItemsPath, (_, body) => CreateDatasetItem(body!.Value));
        }));
        app.MapGet(DatasetItemsPath, (Delegate)((HttpContext context) => ServeAsync(context, DatasetItemsPath, (c, _) => ListDatasetItems(c))));
        app.MapGet(DatasetItemsPath + "/{**id}", (Delegate)((HttpContext context) => ServeAsync(context, DatasetItemByIdPath, (c, _) => GetDatasetItem(PathParameter(c, "id")))));
    }

    private RestAnswer CreateDatasetItem(JsonElement body) => UpsertDatasetItem(body, out _);

    private RestAnswer UpsertDatasetItem(JsonElement body, out FakeDatasetItem? stored)
    {
        stored = null;
        var datasetName = StringProperty(body, "datasetName")!;
        var id = StringProperty(body, "id") is { Length: > 0 } given ? given : null;
        if (id is { Length: > 255 })
        {
            return RestAnswer.Invalid([new SchemaError("/id", "id must be at most 255 characters")]);
        }

        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            if (_datasets.Find(d => d.Name == datasetName) is not { } dataset)
            {
                return RestAnswer.NotFound($"Dataset not found: {datasetName}");
            }

            var index = id is null ? -1 : _datasetItems.FindIndex(i => i.Id == id);
            if (index < 0)
            {
                var created = new FakeDatasetItem(
                    id ?? Guid.NewGuid().ToString(),
                    dataset.Id,
                    dataset.Name,
                    StringProperty(body, "status") ?? "ACTIVE",
                    JsonProperty(body, "input"),
                    JsonProperty(body, "expectedOutput"),
                    JsonProperty(body, "metadata"),
                    StringProperty(body, "sourceTraceId"),
                    StringProperty(body, "sourceObservationId"),
                    now,
                    now);
                _datasetItems.Add(created);
                stored = created;
                return RestAnswer.Ok(ItemJson(created));
            }

            var old = _datasetItems[index];
            if (old.DatasetId != dataset.Id)
            {
                return RestAnswer.Conflict($"Dataset item {id} already exists in dataset {old.DatasetName}; ids are unique across datasets.");
            }

            // An update merges: fields left out (or null) keep their values.
            var updated = old with
            {
                Status = StringProperty(body, "status") ?? old.Status,
                Input = JsonProperty(body, "input") ?? old.Input,
                ExpectedOutput = JsonProperty(body, "expectedOutput") ?? old.ExpectedOutput,
                Metadata = JsonProperty(body, "metadata") ?? old.Metadata,
                SourceTraceId = StringProperty(body, "sourceTraceId") ?? old.SourceTraceId,
                SourceObservationId = StringProperty(body, "sourceObservationId") ?? old.SourceObservationId,
                UpdatedAt = now,
            };
            _datasetItems[index] = updated;
            stored = updated;
            return RestAnswer.Ok(ItemJson(updated));
        }
    }

    private RestAnswer GetDatasetItem(string id)
    {
        lock (_gate)
        {
            return _datasetItems.Find(i => i.Id == id) is { } item
                ? RestAnswer.Ok(ItemJson(item))
                : RestAnswer.NotFound($"Dataset item not found: {id}");
        }
    }

    private RestAnswer ListDatasetItems(HttpContext context)
    {
        if (!TryPaging(context, out var page, out var limit, out var invalid))
        {
            return invalid!;
        }

        var datasetName = Query(context, "datasetName");
        var sourceTraceId = Query(context, "sourceTraceId");
        var sourceObservationId = Query(context, "sourceObservationId");
        lock (_gate)
        {
            if (datasetName is not null && !_datasets.Exists(d => d.Name == datasetName))
            {
                return RestAnswer.NotFound($"Dataset not found: {datasetName}");
            }

            var matching = Enumerable.Reverse(_datasetItems)
                .Where(i => datasetName is null || i.DatasetName == datasetName)
                .Where(i => sourceTraceId is null || i.SourceTraceId == sourceTraceId)
                .Where(i => sourceObservationId is null || i.SourceObservationId == sourceObservationId)
                .ToList();
            return RestAnswer.Ok(Paged(matching, page, limit, ItemJson));
        }
    }

    private static object ItemJson(FakeDatasetItem item) => new
    {
        id = item.Id,
        status = item.Status,
        input = item.Input,
        expectedOutput = item.ExpectedOutput,
        metadata = item.Metadata,
        sourceTraceId = item.SourceTraceId,
        sourceObservationId = item.SourceObservationId,
        datasetId = item.DatasetId,
        datasetName = item.DatasetName,
        createdAt = Iso(item.CreatedAt),
        updatedAt = Iso(item.UpdatedAt),
        mediaReferences = Array.Empty<object>(),
    };
}
