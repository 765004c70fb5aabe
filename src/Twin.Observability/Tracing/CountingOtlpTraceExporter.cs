using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Twin.Observability.Tracing;

/// <summary>
/// The OTLP exporter to Langfuse, counting each batch's spans as exported or failed (<see cref="SpanExportCounters"/>).
/// A subclass rather than a decorator: the SDK hands the exporter it was given the provider's resource (service name
/// and version) through an internal setter, so an exporter wrapped in another would send spans without it.
/// </summary>
internal sealed class CountingOtlpTraceExporter : OtlpTraceExporter
{
    private readonly SpanExportCounters _counters;
    private readonly OtlpResponseRecorder _responses;

    private CountingOtlpTraceExporter(OtlpExporterOptions options, SpanExportCounters counters, OtlpResponseRecorder responses)
        : base(options)
    {
        _counters = counters;
        _responses = responses;
    }

    /// <summary>An exporter with <paramref name="options"/>, whose HTTP client (with the options' timeout) records why requests fail.</summary>
    public static CountingOtlpTraceExporter Create(OtlpExporterOptions options, SpanExportCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        var responses = new OtlpResponseRecorder();
        var timeout = TimeSpan.FromMilliseconds(options.TimeoutMilliseconds);
        // As the SDK's default factory does, but through the recorder; the exporter owns and disposes the client.
        options.HttpClientFactory = () => new HttpClient(responses, disposeHandler: false) { Timeout = timeout };
        return new CountingOtlpTraceExporter(options, counters, responses);
    }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var result = base.Export(batch);
        var failure = _responses.TakeLastFailure();
        if (result == ExportResult.Success)
        {
            _counters.Exported(batch.Count);
        }
        else
        {
            // No HTTP failure noted: the exporter gave up before sending (serialization, request size limit).
            _counters.Failed(batch.Count, failure ?? "not sent");
        }

        return result;
    }

    // The recorder outlives any HTTP client the SDK makes from the factory (it may make more than one).
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _responses.Dispose();
        }
    }
}
