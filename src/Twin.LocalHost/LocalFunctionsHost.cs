using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Configuration;
using Twin.LocalHost.Http;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Triggers;
using Twin.LocalHost.Worker;

namespace Twin.LocalHost;

/// <summary>
/// A Functions host for .NET isolated apps where Azure Functions Core Tools are absent: it starts the app's real worker
/// (<c>dotnet {app}.dll</c>), speaks the Functions gRPC protocol to it, forwards HTTP requests to the worker's own
/// server and runs its timer and queue triggers. It reads what the real host reads (<c>host.json</c>,
/// <c>local.settings.json</c>, the worker's function metadata) and refuses at start-up what the real host refuses.
/// </summary>
public static class LocalFunctionsHost
{
    public const int DefaultPort = 7071;

    /// <param name="settings">App settings on top of <c>local.settings.json</c> and the environment, for host and worker (a test's).</param>
    /// <param name="configure">Adjusts the host's builder after the settings are added (a test's logger provider).</param>
    public static WebApplication Build(LocalFunctionsApp app, string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        settings ??= new Dictionary<string, string?>();
        var localSettings = LocalSettingsFile.Read(app.AppDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = app.AppDirectory });

        // Core Tools turns local.settings.json Values into environment variables unless already set: lowest precedence.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = localSettings.Values });
        builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder);
        if (builder.Configuration["LocalHost:Mode"] is { Length: > 0 } mode && !mode.Equals("worker", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"LocalHost:Mode={mode} is not supported: the host always runs the app's real worker (the in-process invoker was removed; docs/decisions.md).");
        }

        var hostSettings = HostSettings.Read(app.AppDirectory, builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            var port = builder.Configuration.GetValue<int?>("port") ?? localSettings.LocalHttpPort ?? DefaultPort;
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        settings = WithHostName(settings, builder.Configuration);

        // Per-request lines from the host's own plumbing would drown the app's; the worker's logs arrive as its own.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);

        var keys = builder.Configuration.GetSection(FunctionKeyOptions.SectionName).Get<FunctionKeyOptions>() ?? new FunctionKeyOptions();
        var services = builder.Services;
        services.AddSingleton(app);
        services.AddSingleton(hostSettings);
        services.AddSingleton(new WorkerLaunch(WorkerEnvironment.Build(localSettings, settings)));
        services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.SectionName));
        services.AddSingleton(new FunctionKeyAuthorizer(keys));
        services.AddSingleton<FunctionSelector>();
        services.AddSingleton<RpcLogForwarder>();
        services.AddSingleton<InvocationDispatcher>();
        services.AddSingleton<HttpFunctionEndpoints>();
        services.AddSingleton<HttpFunctionForwarder>();
        services.AddHttpForwarder();
        services.AddSingleton<WorkerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerHost>());
        services.AddHostedService<FunctionTriggers>();

        var web = builder.Build();
        web.UseRouting();
        ((IEndpointRouteBuilder)web).DataSources.Add(web.Services.GetRequiredService<HttpFunctionEndpoints>());
        return web;
    }

    // Core Tools tells the worker its own address in WEBSITE_HOSTNAME, as Azure does (the app's synthetic checks call
    // it); a port chosen at bind time (0) is not known here, so then it is left for the app's settings to say.
    private static IReadOnlyDictionary<string, string?> WithHostName(IReadOnlyDictionary<string, string?> settings, ConfigurationManager configuration)
    {
        if (!string.IsNullOrEmpty(configuration["WEBSITE_HOSTNAME"])
            || configuration[WebHostDefaults.ServerUrlsKey]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is not { } first
            || !Uri.TryCreate(first, UriKind.Absolute, out var url)
            || url.Port == 0)
        {
            return settings;
        }

        return new Dictionary<string, string?>(settings) { ["WEBSITE_HOSTNAME"] = url.Authority };
    }
}
