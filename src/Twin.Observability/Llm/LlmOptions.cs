using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Llm;

/// <summary>
/// The <c>Llm</c> section. With no <see cref="Provider"/> and no <see cref="Endpoint"/> the app runs offline: the
/// default, so it works with nothing but Azurite.
/// </summary>
public sealed class LlmOptions : IValidatableObject
{
    public const string SectionName = "Llm";

    public LlmProvider? Provider { get; set; }

    /// <summary>OpenAI-compatible base URL (OpenAI, Ollama, vLLM) or the Azure OpenAI resource endpoint.</summary>
    public string? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Model name, or the deployment name for Azure OpenAI.</summary>
    public string? Model { get; set; }

    /// <summary>Time one LLM attempt may take before it is abandoned (and retried).</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries after a failed or timed-out attempt (5xx, 408, 429, network errors).</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>Prices per model name, in USD per million tokens; a model without a price has no cost (never a guessed one).</summary>
    public Dictionary<string, ModelPriceOptions> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public LlmProvider EffectiveProvider => Provider ?? (string.IsNullOrWhiteSpace(Endpoint) ? LlmProvider.Offline : LlmProvider.OpenAI);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EffectiveProvider == LlmProvider.Offline)
        {
            yield break;
        }

        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult($"{SectionName}:Endpoint must be an http(s) URL when {SectionName}:Provider is {EffectiveProvider}.");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"{SectionName}:Model is required when {SectionName}:Provider is {EffectiveProvider}.");
        }
    }
}
