using System.Globalization;
using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;
using Twin.Observability.Tracing;

namespace Twin.Observability.Health;

/// <summary>
/// Whether traces and scores reach Langfuse: off (a supported mode), or configured and then three things, each within
/// a short timeout: Langfuse answers (<c>/api/public/health</c>), it accepts the app's keys (a keyed call,
/// <c>/api/public/projects</c>, answer kept a minute: <see cref="LangfuseKeyProbe"/>), and no span failed or was dropped on export within
/// <see cref="SpanExportOptions.HealthWindow"/>. Any trouble is "degraded", never "unhealthy": chats go on and only
/// spans and scores are lost, so a load balancer must not take the app out, whatever Langfuse does.
/// </summary>
internal sealed class LangfuseHealthCheck(
    IOptions<LangfuseOptions> options,
    IOptions<SpanExportOptions> exportOptions,
    IHttpClientFactory httpClients,
    SpanExportCounters exports,
    LangfuseKeyProbe keyProbe,
    TimeProvider time) : IHealthCheck
{
    public const string HttpClientName = "langfuse-health";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var langfuse = options.Value;
        if (!langfuse.IsConfigured)
        {
            return HealthCheckResult.Healthy(
                "Langfuse is off: LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are not set.",
                new Dictionary<string, object> { ["mode"] = "off" });
        }

        var data = new Dictionary<string, object> { ["mode"] = "configured", ["baseUrl"] = langfuse.BaseUrl };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var client = httpClients.CreateClient(HttpClientName);
        var reachable = HttpProbe.StatusAsync(client, new HttpRequestMessage(HttpMethod.Get, $"{langfuse.BaseUrl}/api/public/health"), timeout.Token, cancellationToken);
        // Keyed, unlike the health endpoint: the cheapest call that proves the keys open the project (its answer is kept a minute).
        var keys = keyProbe.StatusAsync(client, timeout.Token, cancellationToken);
        var (health, projects) = (await reachable.ConfigureAwait(false), await keys.ConfigureAwait(false));

        data["reachable"] = IsSuccess(health);
        var keysRefused = projects is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        data["keys"] = projects switch
        {
            null => "unchecked (no answer)",
            _ when IsSuccess(projects) => "accepted",
            _ when keysRefused => "refused",
            _ => $"unchecked (HTTP {(int)projects})",
        };
        var export = exports.Snapshot();
        AddExport(data, export);

        if (health is null)
        {
            return HealthCheckResult.Degraded("Langfuse does not answer; spans may be dropped.", data: data);
        }

        if (!IsSuccess(health))
        {
            return HealthCheckResult.Degraded($"Langfuse answered {(int)health}; spans may be dropped.", data: data);
        }

        if (keysRefused)
        {
            return HealthCheckResult.Degraded(
                $"Langfuse refused the keys (HTTP {(int)projects!}): check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY; spans and scores are rejected.", data: data);
        }

        if (export.LastTroubleAt is { } lost && lost > time.GetUtcNow() - exportOptions.Value.HealthWindow)
        {
            return HealthCheckResult.Degraded(
                $"Spans are not reaching Langfuse: {export.Failed} failed on export (last {Iso(export.LastFailureAt)}, {export.LastFailure ?? "none"}) " +
                $"and {export.Dropped} were dropped for a full queue (last {Iso(export.LastDropAt)}) since start.",
                data: data);
        }

        return HealthCheckResult.Healthy("Traces and scores are sent to Langfuse.", data);
    }

    private static void AddExport(Dictionary<string, object> data, SpanExportSnapshot export)
    {
        data["exportedSpans"] = export.Exported;
        data["exportFailedSpans"] = export.Failed;
        data["exportDroppedSpans"] = export.Dropped;
        if (export.LastFailureAt is { } failedAt)
        {
            data["lastExportFailure"] = failedAt.UtcDateTime;
            data["lastExportError"] = export.LastFailure ?? "unknown";
        }

        if (export.LastDropAt is { } droppedAt)
        {
            data["lastSpanDropped"] = droppedAt.UtcDateTime;
        }
    }

    private static string Iso(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : "never";

    private static bool IsSuccess(HttpStatusCode? status) => (int?)status is >= 200 and <= 299;
}
