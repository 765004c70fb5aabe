using Microsoft.AspNetCore.Http;
using Twin.Observability.Tracing;

namespace Twin.Functions.Http;

/// <summary>Reads the caller's trace (<c>traceparent</c> or <c>X-Trace-Id</c>) and writes <c>X-Trace-Id</c> on the answer.</summary>
public static class TraceHeaders
{
    public const string TraceIdHeader = "X-Trace-Id";

    public static IncomingTrace? Incoming(HttpRequest request) =>
        IncomingTraceContext.Parse(request.Headers["traceparent"].FirstOrDefault(), request.Headers[TraceIdHeader].FirstOrDefault());

    public static void Write(HttpResponse response, string? traceId)
    {
        if (!string.IsNullOrEmpty(traceId))
        {
            response.Headers[TraceIdHeader] = traceId;
        }
    }
}
