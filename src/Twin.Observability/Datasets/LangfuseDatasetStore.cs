using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Datasets;

/// <summary>
/// Datasets in Langfuse: <c>POST /api/public/v2/datasets</c> (upsert by name), <c>POST /api/public/dataset-items</c>
/// (upsert by id) and <c>GET /api/public/dataset-items</c>. A dataset known to exist is not posted again by this
/// instance.
/// </summary>
public sealed class LangfuseDatasetStore(IHttpClientFactory httpClients) : IDatasetStore
{
    private const int PageSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, byte> _ensured = new(StringComparer.Ordinal);

    public async Task EnsureDatasetAsync(string name, string description, CancellationToken cancellationToken)
    {
        if (_ensured.ContainsKey(name))
        {
            return;
        }

        // An existing dataset answers 200 too, but posting would overwrite its description: look first.
        using (var existing = await Client().GetAsync(new Uri($"api/public/v2/datasets/{Uri.EscapeDataString(name)}", UriKind.Relative), cancellationToken).ConfigureAwait(false))
        {
            if (existing.IsSuccessStatusCode)
            {
                _ensured.TryAdd(name, 0);
                return;
            }

            if (existing.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                await LangfuseHttp.EnsureSuccessAsync(existing, $"dataset '{name}'", cancellationToken).ConfigureAwait(false);
            }
        }

        using var response = await Client().PostAsJsonAsync(
            new Uri("api/public/v2/datasets", UriKind.Relative),
            new { name, description, metadata = new { createdBy = "twin-observability" } },
            Json,
            cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, $"dataset '{name}'", cancellationToken).ConfigureAwait(false);
        _ensured.TryAdd(name, 0);
    }

    public async Task UpsertItemAsync(DatasetItem item, CancellationToken cancellationToken)
    {
        using var response = await Client().PostAsJsonAsync(
            new Uri("api/public/dataset-items", UriKind.Relative),
            new
            {
                id = item.Id,
                datasetName = item.DatasetName,
                input = item.Input,
                expectedOutput = item.ExpectedOutput,
                metadata = item.Metadata,
                sourceTraceId = item.SourceTraceId,
                sourceObservationId = item.SourceObservationId,
            },
            Json,
            cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, $"dataset item '{item.Id}'", cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ItemExistsAsync(string datasetName, string itemId, CancellationToken cancellationToken)
    {
        using var response = await Client().GetAsync(new Uri($"api/public/dataset-items/{Uri.EscapeDataString(itemId)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        await LangfuseHttp.EnsureSuccessAsync(response, $"dataset item '{itemId}'", cancellationToken).ConfigureAwait(false);
        var item = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken).ConfigureAwait(false);
        return (string?)item?["datasetName"] == datasetName && (string?)item?["status"] != "ARCHIVED";
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await Client().GetAsync(new Uri($"api/public/v2/datasets/{Uri.EscapeDataString(name)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        await LangfuseHttp.EnsureSuccessAsync(response, $"dataset '{name}'", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken)
    {
        var datasets = new List<DatasetSummary>();
        for (var page = 1; ; page++)
        {
            var uri = string.Create(CultureInfo.InvariantCulture, $"api/public/v2/datasets?page={page}&limit={PageSize}");
            using var response = await Client().GetAsync(new Uri(uri, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            await LangfuseHttp.EnsureSuccessAsync(response, "datasets", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken).ConfigureAwait(false);
            var data = body?["data"] as JsonArray ?? [];
            foreach (var node in data.OfType<JsonObject>())
            {
                var name = node["name"]?.GetValue<string>() ?? "";
                datasets.Add(new DatasetSummary(name, node["description"]?.GetValue<string>(), await CountItemsAsync(name, cancellationToken).ConfigureAwait(false), node["createdAt"]?.GetValue<DateTimeOffset>()));
            }

            var totalPages = body?["meta"]?["totalPages"]?.GetValue<int>() ?? page;
            if (data.Count == 0 || page >= totalPages)
            {
                return datasets;
            }
        }
    }

    // One item per page: the answer's meta.totalItems is the count.
    public async Task<int> CountItemsAsync(string datasetName, CancellationToken cancellationToken)
    {
        var uri = string.Create(CultureInfo.InvariantCulture, $"api/public/dataset-items?datasetName={Uri.EscapeDataString(datasetName)}&page=1&limit=1");
        using var response = await Client().GetAsync(new Uri(uri, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, $"items of dataset '{datasetName}'", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken).ConfigureAwait(false);
        return body?["meta"]?["totalItems"]?.GetValue<int>() ?? 0;
    }

    public async IAsyncEnumerable<DatasetItem> ListItemsAsync(string datasetName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            var uri = string.Create(CultureInfo.InvariantCulture, $"api/public/dataset-items?datasetName={Uri.EscapeDataString(datasetName)}&page={page}&limit={PageSize}");
            using var response = await Client().GetAsync(new Uri(uri, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            await LangfuseHttp.EnsureSuccessAsync(response, $"items of dataset '{datasetName}'", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken).ConfigureAwait(false);
            var data = body?["data"] as JsonArray ?? [];
            foreach (var node in data.OfType<JsonObject>())
            {
                yield return new DatasetItem(
                    node["id"]?.GetValue<string>() ?? "",
                    datasetName,
                    node["input"] as JsonObject ?? new JsonObject { ["value"] = node["input"]?.DeepClone() },
                    node["expectedOutput"] as JsonObject ?? new JsonObject { ["value"] = node["expectedOutput"]?.DeepClone() },
                    node["metadata"] as JsonObject ?? [],
                    node["sourceTraceId"]?.GetValue<string>(),
                    node["sourceObservationId"]?.GetValue<string>());
            }

            var totalPages = body?["meta"]?["totalPages"]?.GetValue<int>() ?? page;
            if (data.Count == 0 || page >= totalPages)
            {
                yield break;
            }
        }
    }

    private HttpClient Client() => httpClients.CreateClient(LangfuseHttp.ClientName);
}
