using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Security;

/// <summary>The <c>Auth</c> section: the API keys that may call the app.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var where = $"{SectionName}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return new ValidationResult($"{where}:Name is required.");
            }

            if (key.Role is null)
            {
                yield return new ValidationResult($"{where}:Role is required (key '{key.Name}'): Admin, User or Synthetic. A key without a role opens nothing.");
            }

            if (!ApiKeyHash.TryParse(key.Hash, out _))
            {
                yield return new ValidationResult($"{where}:Hash must be 'sha256:' followed by 64 hex digits (the SHA-256 of the key).");
            }

            if (key.Role is ApiKeyRole.User or ApiKeyRole.Synthetic && string.IsNullOrWhiteSpace(key.UserId))
            {
                yield return new ValidationResult($"{where}:UserId is required for a {key.Role} key.");
            }
        }

        // A token for another application of the same issuer (another API, another tenant's app) must not sign a user
        // in here: the audience is what says the token was meant for this app.
        if (!string.IsNullOrWhiteSpace(Jwt.Issuer) && string.IsNullOrWhiteSpace(Jwt.Audience))
        {
            yield return new ValidationResult($"{SectionName}:Jwt:Audience is required when {SectionName}:Jwt:Issuer is set: the audience (aud) users' tokens are issued for, e.g. api://twin-observability.");
        }

        foreach (var (key, i) in Jwt.SigningKeys.Select((k, i) => (k, i)))
        {
            if (!Convert.TryFromBase64String(key, new byte[key.Length], out var length) || length < 32)
            {
                yield return new ValidationResult($"{SectionName}:Jwt:SigningKeys:{i} must be Base64 of at least 32 bytes.");
            }
        }

        foreach (var duplicate in ApiKeys.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"{SectionName}:ApiKeys has more than one key named '{duplicate.Key}'.");
        }
    }
}
