using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;

namespace Twin.Testing.Fakes.Langfuse;

// /api/public/v2/datasets: datasets upserted by name, read by name, listed newest first.
public sealed partial class FakeLangfuse
{
    public const string DatasetsPath = "/api/public/v2/datasets";

    /// <summary>The <c>projectId</c> the fake gives datasets.</summary>
    public const string ProjectId = "fake-project";

    private const string DatasetByNamePath = DatasetsPath + "/{datasetName}";

    private readonly List<FakeDataset> _datasets = [];

    /// <summary>The stored datasets, in order of creation.</summary>
    public IReadOnlyList<FakeDataset> Datasets
    {
        get
        {
            lock (_gate)
            {
                return [.. _datasets];
            }
        }
    }

    /// <summary>Seeds a dataset as <c>POST /api/public/v2/datasets</c> would (an existing name is updated).</summary>
    public FakeDataset AddDataset(string name, string? description = null, object? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return UpsertDataset(name, description, ToJson(metadata), inputSchema: null, expectedOutputSchema: null);
    }

    private void MapDatasets(WebApplication app)
    {
        app.MapPost(DatasetsPath, (Delegate)((HttpContext context) => ServeAsync(context, DatasetsPath, (_, body) => CreateDataset(body!.Value))));
        app.MapGet(DatasetsPath, (Delegate)((HttpContext context) => ServeAsync(context, DatasetsPath, (c, _) => ListDatasets(c))));
        // Catch-all, so that a folder name sent unencoded ("a/b") is served too; encoded ones arrive as "a%2Fb".
        app.MapGet(DatasetsPath + "/{**datasetName}", (Delegate)((HttpContext context) => ServeAsync(context, DatasetByNamePath, (c, _) => GetDataset(PathParameter(c, "datasetName")))));
    }

    private RestAnswer CreateDataset(JsonElement body)
    {
        if (StringProperty(body, "name") is not { Length: > 0 } name)
        {
            return RestAnswer.Invalid([new SchemaError("/name", "name must not be empty")]);
        }

        var dataset = UpsertDataset(name, StringProperty(body, "description"), JsonProperty(body, "metadata"), JsonProperty(body, "inputSchema"), JsonProperty(body, "expectedOutputSchema"));
        return RestAnswer.Ok(DatasetJson(dataset));
    }

    // Upsert by name; on update, fields left out (or null) keep their values.
    private FakeDataset UpsertDataset(string name, string? description, JsonElement? metadata, JsonElement? inputSchema, JsonElement? expectedOutputSchema)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            var index = _datasets.FindIndex(d => d.Name == name);
            if (index < 0)
            {
                var created = new FakeDataset(Guid.NewGuid().ToString(), name, description, metadata, inputSchema, expectedOutputSchema, ProjectId, now, now);
                _datasets.Add(created);
                return created;
            }

            var old = _datasets[index];
            var updated = old with
            {
                Description = description ?? old.Description,
                Metadata = metadata ?? old.Metadata,
                InputSchema = inputSchema ?? old.InputSchema,
                ExpectedOutputSchema = expectedOutputSchema ?? old.ExpectedOutputSchema,
                UpdatedAt = now,
            };
            _datasets[index] = updated;
            return updated;
        }
    }

    private RestAnswer GetDataset(string name)
    {
        lock (_gate)
        {
            return _datasets.Find(d => d.Name == name) is { } dataset
                ? RestAnswer.Ok(DatasetJson(dataset))
                : RestAnswer.NotFound($"Dataset not found: {name}");
        }
    }

    private RestAnswer ListDatasets(HttpContext context)
    {
        if (!TryPaging(context, out var page, out var limit, out var invalid))
        {
            return invalid!;
        }

        lock (_gate)
        {
            // Newest first, as Langfuse orders by createdAt desc.
            return RestAnswer.Ok(Paged(Enumerable.Reverse(_datasets).ToList(), page, limit, DatasetJson));
        }
    }

    private static object DatasetJson(FakeDataset dataset) => new
    {
        id = dataset.Id,
        name = dataset.Name,
        description = dataset.Description,
        metadata = dataset.Metadata,
        inputSchema = dataset.InputSchema,
        expectedOutputSchema = dataset.ExpectedOutputSchema,
        projectId = dataset.ProjectId,
        createdAt = Iso(dataset.CreatedAt),
        updatedAt = Iso(dataset.UpdatedAt),
    };
}
