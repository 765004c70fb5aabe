using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.Observability.Security;

public static class RedactionServiceCollectionExtensions
{
    /// <summary>The app's one <see cref="SecretRedactor"/>, of the secrets in its configuration.</summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => SecretRedactor.FromConfiguration(configuration));
        return services;
    }

    /// <summary>Redacts the failed answers of this upstream before anything reads them (<see cref="UpstreamErrorRedactionHandler"/>).</summary>
    public static IHttpClientBuilder RedactUpstreamErrors(this IHttpClientBuilder builder) =>
        builder.AddHttpMessageHandler(sp => new UpstreamErrorRedactionHandler(sp.GetRequiredService<SecretRedactor>()));
}
