using Twin.Observability.Common;
using Twin.Observability.Tracing;

namespace Twin.Observability.Compare;

/// <summary>
/// One chat as a comparison names it: a trace id (32 hex), or <c>{traceId}:{observationId}</c> when the trace holds
/// several chats. Without an observation id the trace's first chat is meant.
/// </summary>
public sealed record ChatRef(string TraceId, string? ObservationId)
{
    /// <summary>The id as the caller can send it again (normalised to lower-case hex).</summary>
    public override string ToString() => ObservationId is null ? TraceId : $"{TraceId}:{ObservationId}";

    public static bool TryParse(string? value, out ChatRef chat)
    {
        chat = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parts = value.Trim().Split(':');
        if (parts.Length > 2 || IncomingTraceContext.NormaliseTraceId(parts[0]) is not { } traceId)
        {
            return false;
        }

        string? observationId = null;
        if (parts.Length == 2 && (observationId = NormaliseObservationId(parts[1])) is null)
        {
            return false;
        }

        chat = new ChatRef(traceId, observationId);
        return true;
    }

    /// <summary>The parsed id, or null with the reason recorded against <paramref name="field"/>.</summary>
    public static ChatRef? Parse(string? value, string field, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (TryParse(value, out var chat))
        {
            return chat;
        }

        errors.Add(field, "must be a trace id (32 hex digits) or {traceId}:{observationId} (observation id: 16 hex digits).");
        return null;
    }

    // W3C span ids: 16 hex digits, not all zero.
    private static string? NormaliseObservationId(string value)
    {
        var hex = value.Trim().ToLowerInvariant();
        return hex.Length == 16 && hex.All(char.IsAsciiHexDigitLower) && hex.Any(c => c != '0') ? hex : null;
    }
}
