using System.Collections.Concurrent;
using System.Diagnostics;
using Twin.Observability.Evaluation;
using Twin.Observability.Tracing;

namespace Twin.Functions.Tests.Evaluation;

/// <summary>
/// Every evaluation this test process runs, by the chat it judged, with how it ended: the evaluation trace's root span
/// is started once per processed message, so counting them counts deliveries, and its status says whether one failed.
/// </summary>
public sealed class EvaluationRuns : IDisposable
{
    private readonly ConcurrentQueue<(string ChatTraceId, ActivityStatusCode Status)> _runs = new();
    private readonly ActivityListener _listener;

    public EvaluationRuns()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TwinTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The end status of each evaluation of the chat <paramref name="chatTraceId"/>, in the order they ended.</summary>
    public IReadOnlyList<ActivityStatusCode> Of(string chatTraceId) =>
        _runs.Where(r => r.ChatTraceId == chatTraceId).Select(r => r.Status).ToList();

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity)
    {
        if (activity.OperationName == EvaluationService.TraceName
            && TraceScope.Of(activity)?.Metadata.TryGetValue("source_trace_id", out var chatTraceId) == true)
        {
            _runs.Enqueue((chatTraceId, activity.Status));
        }
    }
}
