using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Compare;

/// <summary>
/// What trace comparison asks Langfuse, when it is configured: a trace's time (so the ledger is read in one place
/// rather than hour by hour) and a chat's full message and reply (the ledger keeps only their start). Langfuse is a
/// help here, never a dependency: any failure is logged and answered with null, and the ledger answers alone.
/// </summary>
public sealed partial class LangfuseTraceReader(IHttpClientFactory httpClients, IOptions<LangfuseOptions> langfuse, ILogger<LangfuseTraceReader> logger)
{
    public bool IsConfigured => langfuse.Value.IsConfigured;

    /// <summary>The trace's timestamp (<c>GET /api/public/traces/{id}</c>), or null when unknown or unavailable.</summary>
    public async Task<DateTimeOffset?> TimestampAsync(string traceId, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return null;
        }

        var trace = await GetAsync($"api/public/traces/{Uri.EscapeDataString(traceId)}?fields=core", "trace", cancellationToken).ConfigureAwait(false);
        return trace is { } t
            && t.TryGetProperty("timestamp", out var at)
            && at.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? timestamp
            : null;
    }

    /// <summary>
    /// The chat's message and reply as its root observation holds them (v2 observations, v1 on servers without v2),
    /// or null when Langfuse does not have them or cannot be asked.
    /// </summary>
    public async Task<(string? Message, string? Reply)?> TextsAsync(string traceId, string observationId, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return null;
        }

        var trace = Uri.EscapeDataString(traceId);
        var page = await GetAsync($"api/public/v2/observations?traceId={trace}&fields=core,io&limit=100", "observations", cancellationToken).ConfigureAwait(false)
            ?? await GetAsync($"api/public/observations?traceId={trace}&limit=100", "observations (v1)", cancellationToken).ConfigureAwait(false);
        if (page is not { } p || !p.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var observation in data.EnumerateArray())
        {
            if (observation.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == observationId)
            {
                var message = observation.TryGetProperty("input", out var input) ? TextOf(input, "message") : null;
                var reply = observation.TryGetProperty("output", out var output) ? TextOf(output, "reply") : null;
                return message is null && reply is null ? null : (message, reply);
            }
        }

        return null;
    }

    // The root's input is {"message", "conversationId"} and its output {"reply"}: v2 sends them as raw JSON strings, v1 as objects.
    private static string? TextOf(JsonElement value, string property)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.TryGetProperty(property, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var raw = value.GetString()!;
        if (!raw.TrimStart().StartsWith('{'))
        {
            return raw;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return TextOf(document.RootElement.Clone(), property);
        }
        catch (JsonException)
        {
            return raw;
        }
    }

    // Null for 404 (not there, or an endpoint this server lacks) and for every failure of Langfuse, which is logged.
    private async Task<JsonElement?> GetAsync(string path, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClients.CreateClient(LangfuseHttp.ClientName)
                .GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            await LangfuseHttp.EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (IsLangfuseFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogLangfuseReadFailed(ex, what);
            return null;
        }
    }

    // The resilience handler gives up with Polly's rejections (attempt timeout, open circuit), not HttpRequestException.
    private static bool IsLangfuseFailure(Exception ex) =>
        ex is HttpRequestException or OperationCanceledException or TimeoutException or LangfuseApiException or JsonException or Polly.ExecutionRejectedException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Langfuse could not be read for the {What} of a trace comparison; the ledger answers alone")]
    private partial void LogLangfuseReadFailed(Exception exception, string what);
}
