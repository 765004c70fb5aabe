using Microsoft.AspNetCore.Http;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Twin.Observability.Security;

namespace Twin.Functions.Chat;

/// <summary>
/// Signs in the caller of <c>/api/chat</c>: a user API key (<c>X-Api-Key</c> or <c>Authorization: ApiKey</c>) or a
/// bearer JWT validated against the configured issuer, audience and keys. The user id always comes from the
/// credential, never from the body.
/// </summary>
public sealed class ChatAuthenticator(ApiKeyAuthenticator keys, BearerTokenValidator bearer)
{
    public async Task<string> AuthenticateUserAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return await bearer.ValidateAsync(authorization["Bearer ".Length..].Trim(), cancellationToken).ConfigureAwait(false)
                ?? throw new ChatFailedException(ChatErrorTypes.Unauthorized, "The bearer token is not valid.");
        }

        var presented = RequestAuthorizer.PresentedKey(request);
        if (presented is null)
        {
            throw new ChatFailedException(ChatErrorTypes.Unauthorized, "Sign in: send a bearer token or a user API key.");
        }

        var caller = keys.Authenticate(presented) ?? throw new ChatFailedException(ChatErrorTypes.Unauthorized, "The API key is not valid.");
        return caller is { Role: ApiKeyRole.User, UserId: { } userId }
            ? userId
            : throw new ChatFailedException(ChatErrorTypes.Forbidden, "This key does not sign a user in; use a user key or a bearer token.");
    }
}
