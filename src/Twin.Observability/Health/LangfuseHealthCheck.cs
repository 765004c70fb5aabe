using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Health;

/// <summary>
/// Whether traces and scores reach Langfuse: off (a supported mode), reachable, or unreachable. Unreachable is
/// "degraded", not "unhealthy": chats go on and spans are dropped, so a load balancer must not take the app out.
/// </summary>
internal sealed class LangfuseHealthCheck(IOptions<LangfuseOptions> options, IHttpClientFactory httpClients) : IHealthCheck
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
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .GetAsync(new Uri($"{langfuse.BaseUrl}/api/public/health"), timeout.Token).ConfigureAwait(false);
            data["reachable"] = response.IsSuccessStatusCode;
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy("Traces and scores are sent to Langfuse.", data)
                : HealthCheckResult.Degraded($"Langfuse answered {(int)response.StatusCode}; spans may be dropped.", data: data);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            data["reachable"] = false;
            return HealthCheckResult.Degraded("Langfuse does not answer; spans may be dropped.", data: data);
        }
    }
}
