using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Tracing;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces with the OpenTelemetry SDK: spans of <see cref="TwinTelemetry.Source"/> go over OTLP/HTTP protobuf to
    /// Langfuse when its keys are set, and to Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
    /// Export is batched on a background thread with a bounded queue and timeout, so a slow or failing Langfuse never
    /// holds up a request; the host flushes what is queued on shutdown. Error text on spans is redacted before export.
    /// What becomes of the Langfuse export (spans exported, failed, dropped) is counted on the
    /// <see cref="SpanExportCounters.MeterName"/> meter, sent to Azure Monitor with the traces, warned about in the log
    /// (<see cref="ExportFailureWarner"/>) and reported by <c>/api/health</c>. Prompts and replies reach Azure Monitor only
    /// when <see cref="TelemetryOptions.SendContentToAzureMonitor"/> is set (<see cref="ContentFreeIngestionPolicy"/>).
    /// </summary>
    public static IServiceCollection AddTwinTelemetry(this IServiceCollection services, IConfiguration configuration, LangfuseOptions langfuse)
    {
        var appInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var telemetry = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TraceOwner>();
        services.AddHostedService<ExceptionEventRedactor>();
        services.AddOptions<SpanExportOptions>().Bind(configuration.GetSection(SpanExportOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<SpanExportCounters>();
        services.AddHostedService<ExportFailureWarner>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("twin-observability", serviceVersion: typeof(TwinTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                // Every chat is traced, whatever the caller's sampled flag says: the ledger and Langfuse need them all.
                tracing.SetSampler(new AlwaysOnSampler());
                tracing.AddSource(TwinTelemetry.SourceName);
                tracing.AddProcessor<TraceScopeProcessor>();
                // Before the exporters: processors run in the order they are added.
                tracing.AddProcessor<RedactingSpanProcessor>();
                if (langfuse.IsConfigured)
                {
                    tracing.AddProcessor(sp => new OwnedBatchExportProcessor(
                        sp.GetRequiredService<TraceOwner>(),
                        CountingOtlpTraceExporter.Create(
                            new OtlpExporterOptions
                            {
                                Protocol = OtlpExportProtocol.HttpProtobuf,
                                Endpoint = new Uri(langfuse.OtlpTracesEndpoint),
                                Headers = $"Authorization={langfuse.BasicAuthorization},x-langfuse-ingestion-version=4",
                                TimeoutMilliseconds = langfuse.ExportTimeoutMilliseconds,
                            },
                            sp.GetRequiredService<SpanExportCounters>()),
                        sp.GetRequiredService<SpanExportCounters>(),
                        langfuse.MaxQueueSize,
                        langfuse.ExportIntervalMilliseconds,
                        langfuse.ExportTimeoutMilliseconds));
                }

                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(o =>
                    {
                        ConfigureAzureMonitor(o, appInsights, telemetry);
                        // The exporter installs its own sampler in place of the one above, rate-limited by default,
                        // which dropped chats for Langfuse too: sample everything, as the app's own sampler does.
                        o.TracesPerSecond = null;
                        o.SamplingRatio = 1.0F;
                    });
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SpanExportCounters.MeterName);
                if (!string.IsNullOrWhiteSpace(appInsights))
                {
                    metrics.AddAzureMonitorMetricExporter(o => ConfigureAzureMonitor(o, appInsights, telemetry));
                }
            });
        return services;
    }

    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, string connectionString, TelemetryOptions telemetry)
    {
        options.ConnectionString = connectionString;
        // The exporters of one connection string share one sender, made from the options of whichever is built first,
        // so every one of them gets the filter.
        if (!telemetry.SendContentToAzureMonitor)
        {
            options.AddPolicy(new ContentFreeIngestionPolicy(), HttpPipelinePosition.PerCall);
        }
    }
}
