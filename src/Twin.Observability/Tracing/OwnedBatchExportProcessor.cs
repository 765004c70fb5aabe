using System.Diagnostics;
using OpenTelemetry;

namespace Twin.Observability.Tracing;

/// <summary>
/// Batches and exports the spans of this app instance's traces only (see <see cref="TraceOwner"/>). A span of the app's
/// source outside any trace the app started has no owner and is not exported: its parent would be a span Langfuse
/// never receives. Spans dropped for a full queue are counted in <paramref name="counters"/> (<see cref="DroppedSpans"/>).
/// </summary>
internal sealed class OwnedBatchExportProcessor(
    TraceOwner owner,
    BaseExporter<Activity> exporter,
    SpanExportCounters counters,
    int maxQueueSize,
    int scheduledDelayMilliseconds,
    int exporterTimeoutMilliseconds)
    // The SDK refuses a batch larger than the queue (its default is 512), so a small queue takes smaller batches.
    : BatchActivityExportProcessor(exporter, maxQueueSize, scheduledDelayMilliseconds, exporterTimeoutMilliseconds, Math.Min(maxQueueSize, 512))
{
    public override void OnEnd(Activity data)
    {
        if (ReferenceEquals(TraceScope.Of(data)?.Owner, owner))
        {
            using var enqueuing = DroppedSpans.Enqueuing(counters);
            base.OnEnd(data);
        }
    }
}
