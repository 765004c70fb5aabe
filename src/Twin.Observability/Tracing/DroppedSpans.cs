using System.Diagnostics.Metrics;

namespace Twin.Observability.Tracing;

/// <summary>
/// Counts the spans the batch processor drops because its queue is full. The SDK keeps its own drop count internal;
/// what it publishes (OpenTelemetry 1.20, documented as experimental self-observability) is the counter
/// <c>otel.sdk.processor.span.processed</c> of the meter <c>otel.sdk.experimental</c>, tagged
/// <c>error.type=queue_full</c>, recorded on the thread that ends the span, inside the processor's <c>OnEnd</c>. The
/// tags name the processor only by an index it keeps to itself, so <see cref="OwnedBatchExportProcessor"/> marks the
/// thread for the length of its <c>OnEnd</c> (<see cref="Enqueuing"/>), and a drop heard while the thread is marked is
/// that app's. One listener serves the process: the SDK's meter is static.
/// </summary>
internal static class DroppedSpans
{
    internal const string SdkMeterName = "otel.sdk.experimental";
    internal const string SdkProcessedCounterName = "otel.sdk.processor.span.processed";

    [ThreadStatic]
    private static SpanExportCounters? enqueuingFor;

    private static readonly MeterListener Listener = Start();

    /// <summary>Marks this thread as enqueuing spans of <paramref name="counters"/>' app until the scope is disposed.</summary>
    public static Scope Enqueuing(SpanExportCounters counters)
    {
        // Reading the listener makes sure it is listening before the first span is enqueued.
        GC.KeepAlive(Listener);
        var previous = enqueuingFor;
        enqueuingFor = counters;
        return new Scope(previous);
    }

    private static MeterListener Start()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SdkMeterName && instrument.Name == SdkProcessedCounterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>(OnProcessed);
        listener.Start();
        return listener;
    }

    private static void OnProcessed(Instrument instrument, long spans, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (enqueuingFor is not { } counters)
        {
            return;
        }

        foreach (var tag in tags)
        {
            if (tag.Key == "error.type" && tag.Value is "queue_full")
            {
                counters.Dropped(spans);
                return;
            }
        }
    }

    public readonly struct Scope(SpanExportCounters? previous) : IDisposable
    {
        public void Dispose() => enqueuingFor = previous;
    }
}
