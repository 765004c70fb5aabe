using Microsoft.AspNetCore.Http;
using Twin.Observability.Common;

namespace Twin.Functions.Http;

/// <summary>Small readers for the request headers the functions use.</summary>
public static class RequestHeaders
{
    /// <summary>The <c>If-Match</c> precondition; every <c>If-Match</c> line counts, as one comma-separated list.</summary>
    public static IfMatchCondition IfMatch(HttpRequest request) =>
        IfMatchCondition.Parse(request.Headers.IfMatch.Count == 0 ? null : string.Join(", ", request.Headers.IfMatch.ToArray()));
}
