using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Twin.Observability.Llm;

namespace Twin.Observability.Health;

/// <summary>Reports which model answers chats; offline mode is the embedded default, not a failure.</summary>
internal sealed class LlmHealthCheck(IOptions<LlmOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var llm = options.Value;
        var provider = llm.EffectiveProvider;
        var data = new Dictionary<string, object> { ["mode"] = provider.ToString().ToLowerInvariant() };
        if (provider != LlmProvider.Offline && llm.Model is { } model)
        {
            data["model"] = model;
        }

        return Task.FromResult(HealthCheckResult.Healthy(
            provider == LlmProvider.Offline ? "No LLM configured: replies come from the twin's knowledge (model twin-offline)." : $"Replies come from {provider}.",
            data));
    }
}
