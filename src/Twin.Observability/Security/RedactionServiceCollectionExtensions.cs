using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Twin.Observability.Security;

public static class RedactionServiceCollectionExtensions
{
    /// <summary>The app's one <see cref="SecretRedactor"/>, of the secrets in its configuration.</summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => SecretRedactor.FromConfiguration(configuration));
        return services;
    }

    /// <summary>
    /// Redacts the failed answers of this upstream before anything reads them (<see cref="UpstreamErrorRedactionHandler"/>).
    /// Without <see cref="AddSecretRedaction"/> (a client registered on its own) the redactor reads the host's
    /// configuration, or knows only the credential shapes when there is none.
    /// </summary>
    public static IHttpClientBuilder RedactUpstreamErrors(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton(sp => SecretRedactor.FromConfiguration(sp.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build()));
        return builder.AddHttpMessageHandler(sp => new UpstreamErrorRedactionHandler(sp.GetRequiredService<SecretRedactor>()));
    }
}
