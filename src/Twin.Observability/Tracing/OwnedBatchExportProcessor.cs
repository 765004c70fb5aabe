using System.Diagnostics;
using OpenTelemetry;

namespace Twin.Observability.Tracing;

/// <summary>
/// Batches and exports the spans of this app instance's traces only (see <see cref="TraceOwner"/>). A span of the app's
/// source outside any trace the app started has no owner and is not exported: its parent would be a span Langfuse
/// never receives. A trace whose scope holds its spans (<see cref="TraceScope.HoldUntilRootEnds"/>) is enqueued whole
/// when its root ends, or not at all when it was dropped. Spans dropped for a full queue are counted in
/// <paramref name="counters"/> (<see cref="DroppedSpans"/>).
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
        if (TraceScope.Of(data) is not { } scope || !ReferenceEquals(scope.Owner, owner))
        {
            return;
        }

        if (scope.HoldUntilRootEnds)
        {
            if (!scope.IsRootOf(data))
            {
                // A child that ends after its root (none should) goes out on its own, unless the trace was dropped.
                if (scope.Held.TryHold(data) || scope.Dropped)
                {
                    return;
                }
            }
            else
            {
                var held = scope.Held.Release();
                if (scope.Dropped)
                {
                    return;
                }

                foreach (var span in held)
                {
                    Enqueue(span);
                }
            }
        }

        Enqueue(data);
    }

    private void Enqueue(Activity span)
    {
        using var enqueuing = DroppedSpans.Enqueuing(counters);
        base.OnEnd(span);
    }
}
