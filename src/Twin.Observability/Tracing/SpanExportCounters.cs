using System.Diagnostics.Metrics;

namespace Twin.Observability.Tracing;

/// <summary>
/// Counts what became of the spans of the Langfuse OTLP export: the <see cref="MeterName"/> meter's counters (for
/// Azure Monitor or any metrics reader) and the same counts kept here for <c>/api/health</c> and the export warning.
/// One instance per app: the meter comes from the app's <see cref="IMeterFactory"/>, so several apps in one process
/// (the tests) count apart.
/// </summary>
public sealed class SpanExportCounters
{
    public const string MeterName = "Twin.Observability";
    public const string ExportedName = "twin.telemetry.spans.exported";
    public const string FailedName = "twin.telemetry.spans.failed";
    public const string DroppedName = "twin.telemetry.spans.dropped";

    private readonly Counter<long> _exportedCounter;
    private readonly Counter<long> _failedCounter;
    private readonly Counter<long> _droppedCounter;
    private readonly TimeProvider _time;
    private readonly object _gate = new();

    // Completed once spans are lost while none were waiting to be reported, so the warner sleeps otherwise.
    private TaskCompletionSource _trouble = NewSignal();
    private long _exported;
    private long _failed;
    private long _dropped;
    private DateTimeOffset? _lastFailureAt;
    private string? _lastFailure;
    private DateTimeOffset? _lastDropAt;
    private long _unreportedFailed;
    private long _unreportedDropped;
    private DateTimeOffset? _unreportedSince;

    public SpanExportCounters(IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _time = time;
        var meter = meters.Create(new MeterOptions(MeterName) { Version = typeof(SpanExportCounters).Assembly.GetName().Version?.ToString() });
        _exportedCounter = meter.CreateCounter<long>(ExportedName, "{span}", "Spans Langfuse accepted over OTLP.");
        _failedCounter = meter.CreateCounter<long>(FailedName, "{span}", "Spans of OTLP exports to Langfuse that failed (an error answer, no answer, a timeout); they are lost.");
        _droppedCounter = meter.CreateCounter<long>(DroppedName, "{span}", "Spans dropped before export because the batch queue for Langfuse was full; they are lost.");
    }

    public void Exported(long spans)
    {
        Interlocked.Add(ref _exported, spans);
        _exportedCounter.Add(spans);
    }

    /// <param name="reason">Why: an HTTP status or the kind of transport failure; never a header or a body.</param>
    public void Failed(long spans, string reason)
    {
        _failedCounter.Add(spans);
        lock (_gate)
        {
            _failed += spans;
            _lastFailureAt = _time.GetUtcNow();
            _lastFailure = reason;
            _unreportedFailed += spans;
            MarkUnreported(_lastFailureAt.Value);
        }
    }

    public void Dropped(long spans)
    {
        _droppedCounter.Add(spans);
        lock (_gate)
        {
            _dropped += spans;
            _lastDropAt = _time.GetUtcNow();
            _unreportedDropped += spans;
            MarkUnreported(_lastDropAt.Value);
        }
    }

    public SpanExportSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new SpanExportSnapshot(Interlocked.Read(ref _exported), _failed, _dropped, _lastFailureAt, _lastFailure, _lastDropAt);
        }
    }

    /// <summary>Completes once spans have been lost since the last <see cref="TakeUnreported"/>.</summary>
    internal Task WaitForTroubleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _trouble.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The spans lost since the previous call, which starts counting afresh.</summary>
    internal UnreportedExportTrouble TakeUnreported()
    {
        lock (_gate)
        {
            var taken = new UnreportedExportTrouble(_unreportedFailed, _unreportedDropped, _unreportedSince ?? _time.GetUtcNow(), _lastFailure);
            _unreportedFailed = 0;
            _unreportedDropped = 0;
            _unreportedSince = null;
            if (_trouble.Task.IsCompleted)
            {
                _trouble = NewSignal();
            }

            return taken;
        }
    }

    // Under _gate: the first loss since the last report starts the next report's period and wakes the warner.
    private void MarkUnreported(DateTimeOffset at)
    {
        if (_unreportedSince is null)
        {
            _unreportedSince = at;
            _trouble.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
