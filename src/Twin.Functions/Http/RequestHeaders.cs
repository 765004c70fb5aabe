using Microsoft.AspNetCore.Http;

namespace Twin.Functions.Http;

/// <summary>Small readers for the request headers and query values the functions use.</summary>
public static class RequestHeaders
{
    /// <summary>The ETag in <c>If-Match</c>, or null when absent or <c>*</c> (both mean "whatever version is stored").</summary>
    public static string? IfMatch(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        return value.Length == 0 || value == "*" ? null : value;
    }

    /// <summary>The origin the caller reached us on, for links we hand back (share URLs).</summary>
    public static string PublicOrigin(HttpRequest request, string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? $"{request.Scheme}://{request.Host}" : configured.TrimEnd('/');
}
