using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Security.Outbound;

namespace Twin.Observability.Tests.Security.Outbound;

/// <summary>The guard as the app registers it, with a chosen resolver and allowed hosts.</summary>
internal static class OutboundTestbed
{
    public const string ClientName = "outbound-test";

    public static ServiceProvider Services(IHostAddressResolver resolver, params string[] allowedHosts)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(allowedHosts.Select((host, i) => KeyValuePair.Create($"{OutboundOptions.SectionName}:AllowedHosts:{i}", (string?)host)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(resolver);
        services.AddOutboundGuard(configuration);
        services.AddGuardedHttpClient(ClientName);
        return services.BuildServiceProvider(validateScopes: true);
    }

    public static CancellationToken Deadline(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
