using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Twin.Testing.Fakes;

/// <summary>Starts a minimal Kestrel app on a free loopback port for a fake service to map its routes onto.</summary>
internal static class LoopbackWebApp
{
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(Action<WebApplication> mapRoutes, Action<IServiceCollection>? addServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });

        // The fakes' own request logs would drown the output of the tests that use them.
        builder.Logging.ClearProviders();

        // A test may dispose a fake while it holds a request open (Hang, Slow): do not wait the default 30 s for it.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        addServices?.Invoke(builder.Services);

        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, address.TrimEnd('/'));
    }
}
