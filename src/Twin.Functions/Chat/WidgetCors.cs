using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Twin.Functions.Chat;

/// <summary>CORS for the widget endpoint, answered by the app so it follows each twin's own allowed origins.</summary>
public static class WidgetCors
{
    public static void Allow(HttpResponse response, string origin)
    {
        response.Headers[HeaderNames.AccessControlAllowOrigin] = origin;
        response.Headers[HeaderNames.AccessControlExposeHeaders] = "X-Trace-Id, Retry-After";
        response.Headers.Append(HeaderNames.Vary, "Origin");
    }

    public static void AllowPreflight(HttpResponse response, string origin)
    {
        Allow(response, origin);
        response.Headers[HeaderNames.AccessControlAllowMethods] = "POST, OPTIONS";
        response.Headers[HeaderNames.AccessControlAllowHeaders] = "content-type, traceparent, tracestate, x-trace-id";
        response.Headers[HeaderNames.AccessControlMaxAge] = "600";
    }
}
