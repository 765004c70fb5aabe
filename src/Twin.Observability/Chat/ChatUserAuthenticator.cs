using Twin.Observability.Security;

namespace Twin.Observability.Chat;

/// <summary>
/// Signs in the caller of the user channel: a user API key or a bearer JWT validated against the configured issuer,
/// audience and keys. The user id always comes from the credential, never from the body.
/// </summary>
public sealed class ChatUserAuthenticator(ApiKeyAuthenticator keys, BearerTokenValidator bearer)
{
    public async Task<ChatSignIn> AuthenticateAsync(ChatCredential? credential, CancellationToken cancellationToken)
    {
        switch (credential)
        {
            case null:
                throw new ChatFailedException(ChatErrorTypes.Unauthorized, "Sign in: send a bearer token or a user API key.");
            case { Kind: ChatCredentialKind.Bearer }:
                return new ChatSignIn(
                    await bearer.ValidateAsync(credential.Value, cancellationToken).ConfigureAwait(false)
                        ?? throw new ChatFailedException(ChatErrorTypes.Unauthorized, "The bearer token is not valid."),
                    Synthetic: false);
        }

        var caller = keys.Authenticate(credential.Value) ?? throw new ChatFailedException(ChatErrorTypes.Unauthorized, "The API key is not valid.");
        return caller is { Role: ApiKeyRole.User or ApiKeyRole.Synthetic, UserId: { } userId }
            ? new ChatSignIn(userId, caller.Role == ApiKeyRole.Synthetic)
            : throw new ChatFailedException(ChatErrorTypes.Forbidden, "This key does not sign a user in; use a user key or a bearer token.");
    }
}

/// <summary>Who a user-channel credential signed in, and whether it is the app's own synthetic check.</summary>
public sealed record ChatSignIn(string UserId, bool Synthetic);
