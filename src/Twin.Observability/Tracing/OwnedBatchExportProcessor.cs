using System.Diagnostics;
using OpenTelemetry;

namespace Twin.Observability.Tracing;

/// <summary>
/// Batches and exports the spans of this app instance's traces only (see <see cref="TraceOwner"/>). A span of the app's
/// source outside any trace the app started has no owner and is not exported: its parent would be a span Langfuse
/// never receives.
/// </summary>
internal sealed class OwnedBatchExportProcessor(
    TraceOwner owner,
    BaseExporter<Activity> exporter,
    int maxQueueSize,
    int scheduledDelayMilliseconds,
    int exporterTimeoutMilliseconds)
    : BatchActivityExportProcessor(exporter, maxQueueSize, scheduledDelayMilliseconds, exporterTimeoutMilliseconds)
{
    public override void OnEnd(Activity data)
    {
        if (ReferenceEquals(TraceScope.Of(data)?.Owner, owner))
        {
            base.OnEnd(data);
        }
    }
}
