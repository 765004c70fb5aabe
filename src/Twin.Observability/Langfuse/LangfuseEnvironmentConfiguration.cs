using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Langfuse;

/// <summary>Fills <see cref="LangfuseOptions"/> from the <c>LANGFUSE_*</c> variables where the section leaves a value unset.</summary>
internal sealed class LangfuseEnvironmentConfiguration(IConfiguration configuration) : IPostConfigureOptions<LangfuseOptions>
{
    public void PostConfigure(string? name, LangfuseOptions options)
    {
        options.PublicKey ??= configuration["LANGFUSE_PUBLIC_KEY"];
        options.SecretKey ??= configuration["LANGFUSE_SECRET_KEY"];
        options.Release ??= configuration["LANGFUSE_RELEASE"];
        if (configuration[$"{LangfuseOptions.SectionName}:BaseUrl"] is null
            && (configuration["LANGFUSE_HOST"] ?? configuration["LANGFUSE_BASE_URL"]) is { Length: > 0 } host)
        {
            options.BaseUrl = host;
        }

        if (configuration[$"{LangfuseOptions.SectionName}:Environment"] is null
            && configuration["LANGFUSE_TRACING_ENVIRONMENT"] is { Length: > 0 } environment)
        {
            options.Environment = environment;
        }

        options.BaseUrl = options.BaseUrl.TrimEnd('/');
    }
}
