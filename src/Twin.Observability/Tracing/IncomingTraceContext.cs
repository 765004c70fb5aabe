using System.Diagnostics;

namespace Twin.Observability.Tracing;

/// <summary>
/// The caller's trace, from W3C <c>traceparent</c> and/or <c>X-Trace-Id</c> (32 hex digits, or a UUID with or
/// without hyphens, normalised to 32 lower-case hex). An explicit <c>X-Trace-Id</c> wins, because hosts and proxies
/// rewrite <c>traceparent</c> on their hop; the span <c>traceparent</c> names is kept as the caller's span only when it
/// belongs to that trace. Anything malformed is ignored and a new trace starts: a bad header must never fail a chat.
/// </summary>
public static class IncomingTraceContext
{
    /// <summary>The trace to continue, or null to start a new one.</summary>
    public static IncomingTrace? Parse(string? traceparent, string? traceId)
    {
        var caller = ParseTraceparent(traceparent);
        if (NormaliseTraceId(traceId) is { } id)
        {
            var chosen = ActivityTraceId.CreateFromString(id);
            return new IncomingTrace(chosen, caller is { } span && span.TraceId == chosen ? span : null);
        }

        return caller is { } parent ? new IncomingTrace(parent.TraceId, parent) : null;
    }

    /// <summary>32 lower-case hex digits, or null when <paramref name="value"/> is not a usable trace id.</summary>
    public static string? NormaliseTraceId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        var hex = Guid.TryParse(trimmed, out var guid) ? guid.ToString("N") : trimmed.ToLowerInvariant();
        return hex.Length == 32 && hex.All(char.IsAsciiHexDigitLower) && hex.Any(c => c != '0') ? hex : null;
    }

    private static ActivityContext? ParseTraceparent(string? traceparent) =>
        !string.IsNullOrWhiteSpace(traceparent)
        && ActivityContext.TryParse(traceparent.Trim(), traceState: null, isRemote: true, out var parsed)
        && parsed.TraceId != default
        && parsed.SpanId != default
            ? parsed
            : null;
}

/// <summary>
/// A trace the caller started: its id, which the app's root span takes, and the caller's own span when it named one
/// (kept as a link on the root, never as its parent: Langfuse never receives that span).
/// </summary>
public sealed record IncomingTrace(ActivityTraceId TraceId, ActivityContext? CallerSpan);
