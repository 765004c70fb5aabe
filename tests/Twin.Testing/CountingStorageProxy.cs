using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Twin.Testing.Fakes;

namespace Twin.Testing;

/// <summary>
/// A loopback proxy in front of an Azurite account's table service (YARP's forwarder) that records the method and path
/// of every request passing through, so a test can count what an app in another process asks of storage. Shared-key
/// signatures cover the path, not the host, so the app's requests stay valid through it.
/// </summary>
public sealed class CountingStorageProxy : IAsyncDisposable
{
    private const string TableEndpoint = "TableEndpoint=";
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();
    private WebApplication? _app;

    private CountingStorageProxy()
    {
    }

    /// <summary>The connection string the proxy was made for, with its table service reached through the proxy.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A proxy for the table service of <paramref name="connectionString"/> (an Azurite account's).</summary>
    public static async Task<CountingStorageProxy> ForTablesAsync(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var tables = new Uri(parts.Single(p => p.StartsWith(TableEndpoint, StringComparison.Ordinal))[TableEndpoint.Length..]);
        var proxy = new CountingStorageProxy();
        var (app, baseUrl) = await LoopbackWebApp.StartAsync(
            app =>
            {
                app.Use((context, next) =>
                {
                    proxy._requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? ""));
                    return next(context);
                });
                app.MapForwarder("/{**path}", tables.GetLeftPart(UriPartial.Authority));
            },
            services => services.AddHttpForwarder());
        proxy._app = app;
        proxy.ConnectionString = string.Join(';', parts.Select(p =>
            p.StartsWith(TableEndpoint, StringComparison.Ordinal) ? $"{TableEndpoint}{baseUrl}{tables.AbsolutePath}" : p)) + ";";
        return proxy;
    }

    /// <summary>How many requests so far match <paramref name="match"/> (method, path).</summary>
    public int Count(Func<string, string, bool> match) => _requests.Count(r => match(r.Method, r.Path));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
