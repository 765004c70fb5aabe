using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Twin.Testing;

/// <summary>Signs test JWTs with the key the tests configure under <c>Auth:Jwt</c>.</summary>
public static class TestJwt
{
    public const string Issuer = "https://issuer.twin.test";
    public const string Audience = "twin-api";
    public static readonly string SigningKey = Convert.ToBase64String("twin-observability-test-signing-key-32b!"u8.ToArray());

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKeys:0"] = SigningKey,
    };

    public static string Create(string subject, string issuer = Issuer, string audience = Audience, DateTime? expires = null, string? signingKey = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = DateTime.UtcNow.AddMinutes(-5),
            NotBefore = DateTime.UtcNow.AddMinutes(-5),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(30),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
}
