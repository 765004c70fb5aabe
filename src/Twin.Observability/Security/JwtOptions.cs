namespace Twin.Observability.Security;

/// <summary>
/// <c>Auth:Jwt</c>: how bearer tokens of signed-in users are validated (issuer, audience, signing keys). With no
/// issuer configured, bearer tokens are refused and users sign in with user API keys.
/// </summary>
public sealed class JwtOptions
{
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) tokens must carry; required with an <see cref="Issuer"/>, always validated.</summary>
    public string? Audience { get; set; }

    /// <summary>Symmetric signing keys, Base64 (HS256). For an identity provider's asymmetric keys use <see cref="MetadataAddress"/>.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>OpenID Connect metadata URL (…/.well-known/openid-configuration) whose JWKS supplies signing keys.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The claim holding the user id.</summary>
    public string UserIdClaim { get; set; } = "sub";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Issuer) && (SigningKeys.Count > 0 || !string.IsNullOrWhiteSpace(MetadataAddress));
}
