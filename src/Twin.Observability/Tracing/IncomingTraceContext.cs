using System.Diagnostics;

namespace Twin.Observability.Tracing;

/// <summary>
/// The caller's trace, from W3C <c>traceparent</c> or from <c>X-Trace-Id</c> (32 hex digits, or a UUID with or
/// without hyphens, normalised to 32 lower-case hex). Anything malformed is ignored and a new trace starts: a bad
/// header must never fail a chat.
/// </summary>
public static class IncomingTraceContext
{
    /// <summary>The remote parent to continue, or null to start a new trace.</summary>
    public static ActivityContext? Parse(string? traceparent, string? traceId)
    {
        if (!string.IsNullOrWhiteSpace(traceparent)
            && ActivityContext.TryParse(traceparent.Trim(), traceState: null, isRemote: true, out var parsed)
            && parsed.TraceId != default
            && parsed.SpanId != default)
        {
            return parsed;
        }

        return NormaliseTraceId(traceId) is { } id
            // X-Trace-Id carries no parent span; a random one stands for the caller, and the server span is marked root.
            ? new ActivityContext(ActivityTraceId.CreateFromString(id), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true)
            : null;
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
}
