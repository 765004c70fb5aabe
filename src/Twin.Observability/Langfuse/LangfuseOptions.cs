namespace Twin.Observability.Langfuse;

/// <summary>
/// The <c>Langfuse</c> section. Also read from Langfuse's own variables (<c>LANGFUSE_PUBLIC_KEY</c>,
/// <c>LANGFUSE_SECRET_KEY</c>, <c>LANGFUSE_HOST</c>/<c>LANGFUSE_BASE_URL</c>, <c>LANGFUSE_RELEASE</c>,
/// <c>LANGFUSE_TRACING_ENVIRONMENT</c>) so settings copied from Langfuse's docs work as they are.
/// Langfuse is off unless both keys are set.
/// </summary>
public sealed class LangfuseOptions
{
    public const string SectionName = "Langfuse";

    public string BaseUrl { get; set; } = "https://cloud.langfuse.com";

    public string? PublicKey { get; set; }

    public string? SecretKey { get; set; }

    public string? Release { get; set; }

    public string Environment { get; set; } = "default";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PublicKey) && !string.IsNullOrWhiteSpace(SecretKey);
}
