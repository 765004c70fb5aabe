using System.Diagnostics;

namespace Twin.Observability.Tracing;

/// <summary>
/// Starts the root spans of the app's traces (chat, evaluation, and later regression, playground, synthetic). A root
/// is exported with no parent span id, whatever is current (the host's request span) and whatever the caller sent:
/// Langfuse v4 makes a span the trace's root, and takes the trace's input and output, only when it has no parent
/// (reference/README.md). It keeps the caller's trace id, so the browser's id stays the Langfuse trace id, and links
/// to the caller's span and to the span that was current when it started: in the worker, the Functions invocation
/// span, whose parent is the host's span, so Application Insights can join the app's trace to the host's even when the
/// caller chose another trace id (docs/decisions.md).
/// </summary>
public static class RootSpans
{
    // Activity takes a chosen trace id only from its generator; the async-local scopes the choice to one Start call.
    private static readonly AsyncLocal<ActivityTraceId?> ChosenTraceId = new();

    // Boxed once: every root carries both flags.
    private static readonly object True = true;

    static RootSpans()
    {
        var previous = Activity.TraceIdGenerator;
        Activity.TraceIdGenerator = () => ChosenTraceId.Value ?? previous?.Invoke() ?? ActivityTraceId.CreateRandom();
    }

    /// <summary>
    /// Starts a root on the app's source, or returns null when nobody listens. While it runs it is
    /// <see cref="Activity.Current"/>; it is meant for an async method, whose changes to the current span do not leak
    /// to its caller.
    /// </summary>
    public static Activity? Start(string name, ActivityKind kind, IncomingTrace? incoming)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        ChosenTraceId.Value = incoming?.TraceId;
        Activity? root = null;
        try
        {
            var links = LinksTo(incoming?.CallerSpan, previous?.Context);
            root = TwinTelemetry.Source.StartActivity(name, kind, parentContext: default, tags: null, links: links);
            root?.SetTag(LangfuseAttributes.IsAppRoot, True);
            root?.SetTag(LangfuseAttributes.AsRoot, True);
            return root;
        }
        finally
        {
            ChosenTraceId.Value = null;
            if (root is null)
            {
                Activity.Current = previous;
            }
        }
    }

    private static ActivityLink[]? LinksTo(ActivityContext? caller, ActivityContext? current) =>
        (caller, current) switch
        {
            ({ } c, { } i) when c != i => [new ActivityLink(c), new ActivityLink(i)],
            ({ } c, _) => [new ActivityLink(c)],
            (null, { } i) => [new ActivityLink(i)],
            _ => null,
        };

    /// <summary>
    /// The observation id of a root started by <see cref="Start"/>: its span id, or a new one when nobody listened. With
    /// the trace id it identifies one chat, since several chats may share one caller's trace.
    /// </summary>
    public static string ObservationIdOf(Activity? root) => (root?.SpanId ?? ActivitySpanId.CreateRandom()).ToHexString();

    /// <summary>The trace id of a root started by <see cref="Start"/>, also when nobody listened (then the caller's, or a new one).</summary>
    public static string TraceIdOf(Activity? root, IncomingTrace? incoming) =>
        (root?.TraceId ?? incoming?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();
}
