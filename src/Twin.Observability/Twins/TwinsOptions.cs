using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Twins;

/// <summary>The <c>Twins</c> section.</summary>
public sealed class TwinsOptions : IValidatableObject
{
    public const string SectionName = "Twins";

    /// <summary>Creates the demo twin at start-up when it does not exist (the README's run command turns this on).</summary>
    public bool SeedDemoTwin { get; set; }

    [Range(1, 3650)]
    public int ShareTokenDefaultLifetimeDays { get; set; } = 30;

    [Range(1, 3650)]
    public int ShareTokenMaxLifetimeDays { get; set; } = 365;

    /// <summary>Base of the public share links (e.g. https://twins.example.com); the request's own origin when unset.</summary>
    public string? PublicBaseUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult($"{SectionName}:PublicBaseUrl must be an http(s) URL or empty.");
        }
    }
}
