using System.Diagnostics;
using System.Globalization;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Invocation;

/// <summary>
/// The <c>trace_context</c> of an invocation, which the worker requires on every one. As the Functions host's is, it
/// names the host's own span for the invocation: a new span in the caller's trace when the caller sent a valid W3C
/// context (its flags and trace state kept), else in a new trace (as the host's own activity would start one). The
/// worker's invocation span takes it as its parent. This host exports no spans of its own; in Azure the host's span
/// reaches Application Insights from the host.
/// </summary>
public static class TraceContexts
{
    public static RpcTraceContext From(string? traceparent, string? tracestate, string functionName)
    {
        var valid = traceparent is { Length: > 0 } && ActivityContext.TryParse(traceparent.Trim(), tracestate, isRemote: true, out var parsed) && parsed.TraceId != default;
        var context = new RpcTraceContext
        {
            TraceParent = valid ? HostSpanIn(parsed.TraceId, parsed.TraceFlags) : HostSpanIn(ActivityTraceId.CreateRandom(), ActivityTraceFlags.Recorded),
            TraceState = valid ? tracestate ?? "" : "",
        };
        context.Attributes["OperationName"] = functionName;
        return context;
    }

    public static RpcTraceContext New(string functionName) => From(null, null, functionName);

    private static string HostSpanIn(ActivityTraceId traceId, ActivityTraceFlags flags) =>
        $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{((int)flags).ToString("x2", CultureInfo.InvariantCulture)}";
}
