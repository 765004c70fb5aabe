using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Twin.Observability.Security;

/// <summary>Validates a user's bearer JWT (signature, issuer, audience, lifetime) and returns the user id it carries.</summary>
public sealed class BearerTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters? _parameters;
    private readonly string _userIdClaim;

    public BearerTokenValidator(IOptions<AuthOptions> options)
    {
        var jwt = options.Value.Jwt;
        _userIdClaim = jwt.UserIdClaim;
        if (!jwt.IsConfigured)
        {
            return;
        }

        _parameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            // Always checked: with no audience configured (start-up validation refuses that) no token is accepted.
            ValidAudience = string.IsNullOrWhiteSpace(jwt.Audience) ? null : jwt.Audience,
            ValidateAudience = true,
            IssuerSigningKeys = jwt.SigningKeys.Select(k => new SymmetricSecurityKey(Convert.FromBase64String(k))).ToList(),
            ClockSkew = TimeSpan.FromMinutes(2),
        };
        if (!string.IsNullOrWhiteSpace(jwt.MetadataAddress))
        {
            _parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwt.MetadataAddress, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
        }
    }

    public async Task<string?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (_parameters is null || token.Length > 16_384)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        return result.IsValid && result.Claims.TryGetValue(_userIdClaim, out var user) && user?.ToString() is { Length: > 0 } id ? id : null;
    }
}
