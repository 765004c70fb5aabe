using System.Net.Http.Json;
using System.Text.Json;

namespace Twin.Observability.Langfuse;

/// <summary>Writes scores to Langfuse (<c>POST /api/public/scores</c>).</summary>
public sealed class LangfuseScoreClient(IHttpClientFactory httpClients)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task PostAsync(LangfuseScore score, CancellationToken cancellationToken)
    {
        var body = new
        {
            id = score.Id,
            traceId = score.TraceId,
            observationId = score.ObservationId,
            name = score.Name,
            value = score.Label is { } label ? (object)label : score.Value,
            dataType = score.DataType,
            configId = score.ConfigId,
            comment = score.Comment,
            environment = score.Environment,
            metadata = score.Metadata,
        };
        using var response = await httpClients.CreateClient(LangfuseHttp.ClientName)
            .PostAsJsonAsync(new Uri("api/public/scores", UriKind.Relative), body, Json, cancellationToken).ConfigureAwait(false);
        await LangfuseHttp.EnsureSuccessAsync(response, $"score '{score.Name}'", cancellationToken).ConfigureAwait(false);
    }
}
