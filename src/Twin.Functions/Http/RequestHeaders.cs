using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Twin.Observability.Common;

namespace Twin.Functions.Http;

/// <summary>Small readers for the request headers the functions use.</summary>
public static class RequestHeaders
{
    /// <summary>
    /// The <c>If-Match</c> precondition; every <c>If-Match</c> line counts, as one comma-separated list. Any element that
    /// is not an entity-tag, or <c>*</c> beside others, makes the whole header malformed: it matches nothing (412).
    /// </summary>
    public static IfMatchCondition IfMatch(HttpRequest request)
    {
        var lines = request.Headers.IfMatch;
        if (lines.All(string.IsNullOrWhiteSpace))
        {
            return IfMatchCondition.None;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(lines, out var tags) || tags.Count == 0)
        {
            return IfMatchCondition.Malformed;
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return tags.Count == 1 ? IfMatchCondition.Any : IfMatchCondition.Malformed;
        }

        return IfMatchCondition.Of(tags.Select(t => t.ToString()));
    }
}
