using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Twin.Testing;

/// <summary>
/// A loopback proxy in front of one of Azurite's services (YARP's forwarder) that records the method and path of every
/// request passing through, so a test can count what an app in another process asks of storage. Shared-key signatures
/// cover the path, not the host, so the app's requests stay valid through it.
/// </summary>
public sealed class CountingStorageProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();

    private CountingStorageProxy(WebApplication app) => _app = app;

    /// <summary>The connection string the proxy was made for, with its table service reached through the proxy.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A proxy for the table service of <paramref name="connectionString"/> (an Azurite account's).</summary>
    public static async Task<CountingStorageProxy> ForTablesAsync(string connectionString)
    {
        const string Key = "TableEndpoint=";
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var tables = new Uri(parts.Single(p => p.StartsWith(Key, StringComparison.Ordinal))[Key.Length..]);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var proxy = new CountingStorageProxy(app);
        app.Use((context, next) =>
        {
            proxy._requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? ""));
            return next(context);
        });
        app.MapForwarder("/{**path}", tables.GetLeftPart(UriPartial.Authority));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        proxy.ConnectionString = string.Join(';', parts.Select(p => p.StartsWith(Key, StringComparison.Ordinal) ? $"{Key}{new Uri(address, tables.AbsolutePath)}" : p)) + ";";
        return proxy;
    }

    /// <summary>How many requests so far match <paramref name="match"/>.</summary>
    public int Count(Func<string, string, bool> match) => _requests.Count(r => match(r.Method, r.Path));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
