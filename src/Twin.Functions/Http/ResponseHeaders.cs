using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Twin.Functions.Http;

/// <summary>The headers every answer of the app carries, and those of answers that must not be cached.</summary>
public static class ResponseHeaders
{
    /// <summary>Every response: browsers must not sniff a JSON or problem body into something executable.</summary>
    public static void Secure(HttpResponse response) => response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";

    /// <summary>Authenticated answers and chat replies: personal, so no shared or browser cache may keep them.</summary>
    public static void NoStore(HttpResponse response)
    {
        Secure(response);
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>How soon a caller may retry after a 503 (storage or the app unavailable) when nothing more precise is known.</summary>
    public static readonly TimeSpan UnavailableRetry = TimeSpan.FromSeconds(5);

    /// <summary><c>Retry-After</c> in whole seconds, at least one.</summary>
    public static void RetryAfter(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The stored version of what the response describes, for a later <c>If-Match</c>.</summary>
    public static void ETag(HttpResponse response, string? etag)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }
    }
}
