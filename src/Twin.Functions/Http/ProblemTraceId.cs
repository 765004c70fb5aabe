using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Twin.Functions.Http;

/// <summary>
/// The trace id a problem reports: the current span's, else the one the caller sent (<c>traceparent</c> or
/// <c>X-Trace-Id</c>), else a new one, so every problem can be matched with the log line written for it.
/// </summary>
public static class ProblemTraceId
{
    public static string Of(HttpRequest request)
    {
        if (Activity.Current is { } activity && activity.TraceId != default)
        {
            return activity.TraceId.ToHexString();
        }

        return TraceHeaders.Incoming(request) is { } incoming
            ? incoming.TraceId.ToHexString()
            : ActivityTraceId.CreateRandom().ToHexString();
    }
}
