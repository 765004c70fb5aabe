using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twin.LocalHost;
using Twin.LocalHost.Worker;

namespace Twin.Testing;

/// <summary>
/// A running <see cref="LocalFunctionsHost"/> on a free loopback port, with the app's real worker behind it, reached
/// over real HTTP.
/// </summary>
public sealed class LocalHostServer : IAsyncDisposable
{
    private readonly WebApplication _host;
    private readonly Lazy<IHost>? _app;
    private readonly Func<HttpResponseMessage, Task>? _checkResponse;

    private LocalHostServer(WebApplication host, Uri baseAddress, Lazy<IHost>? app, Func<HttpResponseMessage, Task>? checkResponse)
    {
        _host = host;
        _app = app;
        _checkResponse = checkResponse;
        BaseAddress = baseAddress;
        Client = CreateClient(null);
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// The app's services built in the test process from the same settings, never started: a test reads and seeds the
    /// app's storage through them (its ledger, conversations, queues) as the worker would. They are not the worker's own
    /// instances, which live in another process.
    /// </summary>
    public IServiceProvider Services => _app?.Value.Services
        ?? throw new InvalidOperationException("This server was started without the app's services (pass appServices to StartAsync).");

    /// <summary>True once the host began to stop: asked to by its owner, or because a hosted service failed.</summary>
    public bool IsStopping => _host.Lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>The worker process serving this host now.</summary>
    public WorkerSession Worker => _host.Services.GetRequiredService<WorkerHost>().Current
        ?? throw new InvalidOperationException("The worker is not ready.");

    /// <summary>
    /// A client of this server that presents <paramref name="apiKey"/> in <c>X-Api-Key</c> on every request; every answer
    /// from this server passes the server's response check (if it was started with one) before the caller sees it.
    /// </summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = _checkResponse is null
            ? new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) }
            : new HttpClient(new CheckingHandler(BaseAddress, _checkResponse) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>Starts <paramref name="app"/>'s host and worker with <paramref name="settings"/> on top of its own.</summary>
    /// <param name="configure">Adjusts the host further after the settings are added (a test's own logger provider).</param>
    /// <param name="appServices">Registers the app's services, for <see cref="Services"/>.</param>
    /// <param name="checkResponse">Checks every answer this server gives to its clients (<see cref="CreateClient"/>); throws to fail the request.</param>
    public static async Task<LocalHostServer> StartAsync(
        LocalFunctionsApp app,
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure = null,
        Action<IServiceCollection, IConfiguration>? appServices = null,
        Func<HttpResponseMessage, Task>? checkResponse = null)
    {
        var host = LocalFunctionsHost.Build(app, ["--urls", "http://127.0.0.1:0"], settings, configure);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var appHost = appServices is null ? null : new Lazy<IHost>(() => BuildAppServices(app, settings, appServices));
        return new LocalHostServer(host, new Uri(address), appHost, checkResponse);
    }

    private static IHost BuildAppServices(LocalFunctionsApp app, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = app.AppDirectory,
            EnvironmentName = settings.GetValueOrDefault(WorkerEnvironment.FunctionsEnvironment) is { Length: > 0 } environment ? environment : Environments.Development,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        register(builder.Services, builder.Configuration);
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            await _host.DisposeAsync();
            if (_app is { IsValueCreated: true })
            {
                _app.Value.Dispose();
            }
        }
    }
}
