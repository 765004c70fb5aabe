using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Twin.Observability.Security;

namespace Twin.Functions.Http;

/// <summary>
/// Checks the admin credential of a request: an API key in <c>X-Api-Key</c> or <c>Authorization: ApiKey &lt;key&gt;</c>.
/// 401 when no valid credential was presented (say who you are), 403 when a valid one lacks the admin role
/// (you are known, but may not do this).
/// </summary>
public sealed class RequestAuthorizer(ApiKeyAuthenticator keys)
{
    public const string ApiKeyHeader = "X-Api-Key";
    private const string ApiKeyScheme = "ApiKey";

    /// <summary>Null when the caller is an admin; otherwise the 401 or 403 to answer.</summary>
    public IResult? RequireAdmin(HttpRequest request)
    {
        var caller = keys.Authenticate(PresentedKey(request));
        if (caller is null)
        {
            request.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] = ApiKeyScheme;
            return Problems.Status(StatusCodes.Status401Unauthorized, "Authentication required.",
                $"Send an admin API key in the {ApiKeyHeader} header or as 'Authorization: {ApiKeyScheme} <key>'.");
        }

        return caller.Role == ApiKeyRole.Admin
            ? null
            : Problems.Status(StatusCodes.Status403Forbidden, "Forbidden.", "This credential does not have the admin role.");
    }

    /// <summary>True when the request presents a valid admin key; never answers, for routes that only show admins more.</summary>
    public bool IsAdmin(HttpRequest request) => keys.Authenticate(PresentedKey(request)) is { Role: ApiKeyRole.Admin };

    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out var header) && header.Count == 1)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(ApiKeyScheme + " ", StringComparison.OrdinalIgnoreCase)
            ? authorization[(ApiKeyScheme.Length + 1)..].Trim()
            : null;
    }
}
