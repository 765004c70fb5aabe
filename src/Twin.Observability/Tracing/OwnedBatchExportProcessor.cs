using System.Diagnostics;
using OpenTelemetry;

namespace Twin.Observability.Tracing;

/// <summary>Batches and exports the spans of this app instance's traces only (see <see cref="TraceOwner"/>).</summary>
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
        if (TraceScope.Of(data)?.Owner is not { } spanOwner || ReferenceEquals(spanOwner, owner))
        {
            base.OnEnd(data);
        }
    }
}
