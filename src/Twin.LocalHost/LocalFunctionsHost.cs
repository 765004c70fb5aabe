using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Configuration;
using Twin.LocalHost.Http;
using Twin.LocalHost.Invocation;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Queues;
using Twin.LocalHost.Timers;

namespace Twin.LocalHost;

/// <summary>
/// Runs a Functions app's own triggers in-process on Kestrel where Azure Functions Core Tools are absent. It reads
/// what the real host reads (<c>functions.metadata</c>, <c>host.json</c>, <c>local.settings.json</c>) and refuses
/// at start-up what the real host refuses.
/// </summary>
public static class LocalFunctionsHost
{
    public const int DefaultPort = 7071;

    public const string EnvironmentSetting = "AZURE_FUNCTIONS_ENVIRONMENT";

    /// <param name="configure">Adjusts the builder before the app registers its services (tests add settings here).</param>
    public static WebApplication Build(LocalFunctionsApp app, string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var localSettings = LocalSettingsFile.Read(app.AppDirectory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = app.AppDirectory,
            EnvironmentName = FunctionsEnvironment(localSettings.Values, args),
        });

        // Core Tools turns local.settings.json Values into environment variables unless already set: lowest precedence.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = localSettings.Values });
        configure?.Invoke(builder);
        var hostSettings = HostSettings.Read(app.AppDirectory, builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            var port = builder.Configuration.GetValue<int?>("port") ?? localSettings.LocalHttpPort ?? DefaultPort;
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        app.ConfigureServices(builder.Services, builder.Configuration);
        builder.Services.AddMvcCore();

        var functions = FunctionCatalog.Load(FunctionMetadataReader.Read(app.AppDirectory), app.Assembly)
            .Where(f => !DisabledFunctions.IsDisabled(builder.Configuration, f.Name))
            .ToList();
        var http = functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();
        RouteRules.Validate(http);
        foreach (var function in functions.Except(http))
        {
            switch (function.Trigger.Type)
            {
                case "timerTrigger":
                    AddTimer(builder, function);
                    break;
                case "queueTrigger":
                    AddQueue(builder, function, hostSettings.Queues);
                    break;
                default:
                    throw new NotSupportedException($"Function '{function.Name}': the local host does not run '{function.Trigger.Type}' triggers.");
            }
        }

        var keys = builder.Configuration.GetSection(FunctionKeyOptions.SectionName).Get<FunctionKeyOptions>() ?? new FunctionKeyOptions();
        var web = builder.Build();
        HttpTriggerEndpoints.Map(web, http, hostSettings.RoutePrefix, new FunctionKeyAuthorizer(keys));
        return web;
    }

    // The app's IHostEnvironment comes from AZURE_FUNCTIONS_ENVIRONMENT, as the isolated worker reads it; Core Tools
    // sets it to Development when unset, Azure to Production. It is fixed when the builder is made, so it is read
    // first, with the precedence of the app's settings: command line, process environment, local.settings.json.
    private static string FunctionsEnvironment(IReadOnlyDictionary<string, string?> localSettings, string[] args)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(localSettings).AddEnvironmentVariables().AddCommandLine(args).Build();
        return settings[EnvironmentSetting] is { Length: > 0 } name ? name : Environments.Development;
    }

    private static void AddTimer(WebApplicationBuilder builder, LocalFunction function)
    {
        var expression = SettingResolver.Resolve(function.Trigger.Schedule ?? "", builder.Configuration, function.Name);
        TimerSchedule schedule;
        try
        {
            schedule = TimerSchedule.Parse(expression);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Function '{function.Name}': {ex.Message}", ex);
        }

        builder.Services.AddSingleton<IHostedService>(sp =>
            ActivatorUtilities.CreateInstance<TimerTriggerListener>(sp, function, schedule, sp, TimeProvider.System));
    }

    private static void AddQueue(WebApplicationBuilder builder, LocalFunction function, QueueSettings settings)
    {
        var queueName = SettingResolver.Resolve(function.Trigger.QueueName ?? "", builder.Configuration, function.Name);
        var connectionName = string.IsNullOrEmpty(function.Trigger.Connection) ? "AzureWebJobsStorage" : function.Trigger.Connection;
        var connectionString = builder.Configuration[connectionName]
            ?? throw new InvalidOperationException($"Function '{function.Name}': the local host needs a storage connection string in '{connectionName}'.");
        var options = new QueueClientOptions { MessageEncoding = settings.Base64Encoding ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None };
        var queue = new QueueClient(connectionString, queueName, options);
        var poison = new QueueClient(connectionString, queueName + "-poison", options);
        builder.Services.AddSingleton<IHostedService>(sp =>
            ActivatorUtilities.CreateInstance<QueueTriggerListener>(sp, function, queue, poison, settings, sp));
    }
}
