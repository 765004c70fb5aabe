using System.Text;
using Microsoft.Extensions.Configuration;

namespace Twin.Observability.Langfuse;

/// <summary>
/// The <c>Langfuse</c> section. Also read from Langfuse's own variables (<c>LANGFUSE_PUBLIC_KEY</c>,
/// <c>LANGFUSE_SECRET_KEY</c>, <c>LANGFUSE_HOST</c>/<c>LANGFUSE_BASE_URL</c>, <c>LANGFUSE_RELEASE</c>,
/// <c>LANGFUSE_TRACING_ENVIRONMENT</c>) where the section leaves a value unset, so settings copied from Langfuse's
/// docs work as they are. Langfuse is off unless both keys are set.
/// </summary>
public sealed class LangfuseOptions
{
    public const string SectionName = "Langfuse";

    public string BaseUrl { get; set; } = "https://cloud.langfuse.com";

    public string? PublicKey { get; set; }

    public string? SecretKey { get; set; }

    public string? Release { get; set; }

    public string Environment { get; set; } = "default";

    /// <summary>How long one OTLP export may take before it is abandoned (the batch is dropped, requests never wait).</summary>
    public int ExportTimeoutMilliseconds { get; set; } = 10_000;

    /// <summary>How often batched spans are sent.</summary>
    public int ExportIntervalMilliseconds { get; set; } = 5_000;

    /// <summary>Spans held while Langfuse is slow or down; beyond this the newest are dropped rather than memory growing.</summary>
    public int MaxQueueSize { get; set; } = 2048;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PublicKey) && !string.IsNullOrWhiteSpace(SecretKey);

    public string OtlpTracesEndpoint => $"{BaseUrl}/api/public/otel/v1/traces";

    /// <summary>The Basic credential of the public API and OTLP endpoint. Never logged.</summary>
    public string BasicAuthorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PublicKey}:{SecretKey}"));

    public static LangfuseOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<LangfuseOptions>() ?? new LangfuseOptions();
        options.PublicKey = NullIfEmpty(options.PublicKey) ?? NullIfEmpty(configuration["LANGFUSE_PUBLIC_KEY"]);
        options.SecretKey = NullIfEmpty(options.SecretKey) ?? NullIfEmpty(configuration["LANGFUSE_SECRET_KEY"]);
        options.Release = NullIfEmpty(options.Release) ?? NullIfEmpty(configuration["LANGFUSE_RELEASE"]);
        if (string.IsNullOrEmpty(configuration[$"{SectionName}:BaseUrl"])
            && NullIfEmpty(configuration["LANGFUSE_HOST"] ?? configuration["LANGFUSE_BASE_URL"]) is { } host)
        {
            options.BaseUrl = host;
        }

        if (string.IsNullOrEmpty(configuration[$"{SectionName}:Environment"])
            && NullIfEmpty(configuration["LANGFUSE_TRACING_ENVIRONMENT"]) is { } environment)
        {
            options.Environment = environment;
        }

        options.BaseUrl = options.BaseUrl.TrimEnd('/');
        return options;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
