using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Scores;

/// <summary>
/// Mirrors score configs to Langfuse (<c>POST /api/public/score-configs</c>, <c>PATCH …/{configId}</c>), so its UI
/// and annotation queues offer the same scores. Langfuse cannot delete a config; a deleted one is archived.
/// </summary>
public sealed class LangfuseScoreConfigClient(IHttpClientFactory httpClients)
{
    private const string Path = "api/public/score-configs";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Creates the config in Langfuse and returns its id.</summary>
    public async Task<string> CreateAsync(ScoreConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var response = await Client().PostAsJsonAsync(new Uri(Path, UriKind.Relative), new
        {
            name = config.Name,
            dataType = config.DataType,
            categories = config.Categories,
            minValue = config.Min,
            maxValue = config.Max,
            description = config.Description,
        }, Json, cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, $"score config '{config.Name}'", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken).ConfigureAwait(false);
        return body?["id"]?.GetValue<string>() ?? throw new LangfuseApiException($"Langfuse answered score config '{config.Name}' without an id.", (int)response.StatusCode);
    }

    public async Task UpdateAsync(string configId, ScoreConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        await PatchAsync(configId, new { categories = config.Categories, minValue = config.Min, maxValue = config.Max, description = config.Description }, config.Name, cancellationToken).ConfigureAwait(false);
    }

    public Task ArchiveAsync(string configId, string name, CancellationToken cancellationToken) =>
        PatchAsync(configId, new { isArchived = true }, name, cancellationToken);

    private async Task PatchAsync(string configId, object body, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"{Path}/{Uri.EscapeDataString(configId)}", UriKind.Relative))
        {
            Content = JsonContent.Create(body, options: Json),
        };
        using var response = await Client().SendAsync(request, cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, $"score config '{name}'", cancellationToken).ConfigureAwait(false);
    }

    private HttpClient Client() => httpClients.CreateClient(LangfuseHttp.ClientName);
}
