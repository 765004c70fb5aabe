using System.Diagnostics;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Invocation;

/// <summary>
/// The <c>trace_context</c> of an invocation, which the worker requires on every one: the caller's W3C context when it
/// sent a valid one, else a new trace (as the host's own activity would start one).
/// </summary>
public static class TraceContexts
{
    public static RpcTraceContext From(string? traceparent, string? tracestate, string functionName)
    {
        var valid = traceparent is { Length: > 0 } && ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out var parsed) && parsed.TraceId != default;
        var context = new RpcTraceContext
        {
            TraceParent = valid ? traceparent!.Trim() : New(),
            TraceState = valid ? tracestate ?? "" : "",
        };
        context.Attributes["OperationName"] = functionName;
        return context;
    }

    public static RpcTraceContext New(string functionName) => From(null, null, functionName);

    private static string New() => $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
}
