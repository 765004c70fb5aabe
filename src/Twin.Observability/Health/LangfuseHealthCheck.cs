using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Health;

/// <summary>Reports whether traces and scores go to Langfuse. Langfuse being off is a supported mode, not a failure.</summary>
internal sealed class LangfuseHealthCheck(IOptions<LangfuseOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var langfuse = options.Value;
        var data = new Dictionary<string, object> { ["mode"] = langfuse.IsConfigured ? "configured" : "off" };
        if (langfuse.IsConfigured)
        {
            data["baseUrl"] = langfuse.BaseUrl;
        }

        return Task.FromResult(HealthCheckResult.Healthy(
            langfuse.IsConfigured ? "Traces and scores are sent to Langfuse." : "Langfuse is off: LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are not set.",
            data));
    }
}
