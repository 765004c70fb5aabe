using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.LocalHost;

namespace Twin.Testing;

/// <summary>A running <see cref="LocalFunctionsHost"/> on a free loopback port, reached over real HTTP.</summary>
public sealed class LocalHostServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHostServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A client of this server that presents <paramref name="apiKey"/> in <c>X-Api-Key</c> on every request.</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>
    /// Starts <paramref name="app"/> with <paramref name="settings"/> on top of its own. The environment is fixed before
    /// settings can be added, so <c>AZURE_FUNCTIONS_ENVIRONMENT</c> among them goes on the command line instead.
    /// </summary>
    /// <param name="configure">Adjusts the host further after the settings are added (a test's own logger provider).</param>
    public static async Task<LocalHostServer> StartAsync(LocalFunctionsApp app, IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        string[] args = settings.GetValueOrDefault(LocalFunctionsHost.EnvironmentSetting) is { Length: > 0 } environment
            ? ["--urls", "http://127.0.0.1:0", $"--{LocalFunctionsHost.EnvironmentSetting}={environment}"]
            : ["--urls", "http://127.0.0.1:0"];
        var web = LocalFunctionsHost.Build(app, args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            configure?.Invoke(builder);
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LocalHostServer(web, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
