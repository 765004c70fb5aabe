using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Regression;

/// <summary>
/// Links a regression item's trace to its Langfuse dataset item under the run's name
/// (<c>POST /api/public/dataset-run-items</c>; the run is created by its first item), as Langfuse's own experiment
/// runner does, so the run shows in Langfuse's dataset runs and experiments. Nothing when Langfuse is not configured
/// (the Table dataset store works the same offline). A refused link is logged; the item's result stands.
/// </summary>
public sealed partial class LangfuseRunLinker(IHttpClientFactory httpClients, IOptions<LangfuseOptions> langfuse, ILogger<LangfuseRunLinker> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool IsEnabled => langfuse.Value.IsConfigured;

    /// <summary>The Langfuse dataset run id, or null when there is no Langfuse or it refused the link.</summary>
    public async Task<string?> LinkAsync(RegressionRun run, string itemId, string traceId, string observationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!IsEnabled)
        {
            return null;
        }

        try
        {
            using var response = await httpClients.CreateClient(LangfuseHttp.ClientName).PostAsJsonAsync(
                new Uri("api/public/dataset-run-items", UriKind.Relative),
                new { runName = run.Name, datasetItemId = itemId, traceId, observationId, runDescription = $"Twin Observability regression run {run.Id} of twin {run.TwinId}", metadata = new { runId = run.Id, twinId = run.TwinId } },
                Json,
                cancellationToken).ConfigureAwait(false);
            await LangfuseHttp.EnsureSuccessAsync(response, $"dataset run item of '{itemId}'", cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken).ConfigureAwait(false);
            return body?["datasetRunId"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is HttpRequestException or LangfuseApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogLinkFailed(ex, run.Id, itemId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Regression run {RunId}: Langfuse did not link item {ItemId} to the dataset run")]
    private partial void LogLinkFailed(Exception exception, string runId, string itemId);
}
