using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Twin.Observability.Security;

/// <summary>
/// Masks credentials in free text that came from outside (upstream error bodies, exception messages) before it is
/// logged or put on a span: the values configured as secrets, wherever they appear, and the shapes credentials take
/// whatever their value (<c>Authorization</c>/<c>api-key</c> header values, bearer and Basic credentials,
/// <c>sk-</c>/<c>pk-lf-</c> keys, JWTs, connection-string and SAS keys).
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    /// <summary>Shorter configured values are not secrets worth the name, and masking them would mask ordinary words.</summary>
    public const int MinimumSecretLength = 8;

    // Longest first, so a secret that contains another (the Basic pair contains both keys) is masked whole.
    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets
            .Where(s => s is { Length: >= MinimumSecretLength } && !string.IsNullOrWhiteSpace(s))
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>A redactor of the secrets in <paramref name="configuration"/> (see <see cref="ConfiguredSecrets"/>).</summary>
    public static SecretRedactor FromConfiguration(IConfiguration configuration) => new(ConfiguredSecrets.Read(configuration));

    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        text = HeaderValue().Replace(text, "$1$2$3" + Mask);
        text = SchemeCredential().Replace(text, "$1 " + Mask);
        text = ApiKeyToken().Replace(text, Mask);
        text = JsonWebToken().Replace(text, Mask);
        text = KeyValueSecret().Replace(text, "$1" + Mask);
        return text;
    }

    // A credential header and its value, in HTTP ("Authorization: Basic x"), JSON ("authorization":"x") or key=value form;
    // the scheme is kept, so the text still says what kind of credential it was.
    [GeneratedRegex(
        """(?i)\b(authorization|proxy-authorization|api-key|x-api-key|ocp-apim-subscription-key)(\\?["']?\s*[:=]\s*\\?["']?)((?:bearer|basic|apikey|token)\s+)?[^\s"'\\,;&]+""",
        RegexOptions.CultureInvariant)]
    private static partial Regex HeaderValue();

    // "Bearer x" or "Basic x" anywhere; the lookahead spares prose ("Basic authentication", "a bearer token").
    [GeneratedRegex(
        """(?i)\b(bearer|basic)\s+(?=[A-Za-z0-9\-._~+/]*[0-9+/=_~.\-])[A-Za-z0-9\-._~+/]{8,}=*""",
        RegexOptions.CultureInvariant)]
    private static partial Regex SchemeCredential();

    // OpenAI-style secret keys (sk-…, sk-proj-…) and Langfuse's project keys (pk-lf-…, sk-lf-…).
    [GeneratedRegex("""\b(?:sk|pk-lf)-[A-Za-z0-9_\-]{8,}""", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKeyToken();

    [GeneratedRegex("""\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonWebToken();

    // Storage and Service Bus connection strings (AccountKey=, SharedAccessKey=, Password=) and SAS signatures (sig=).
    [GeneratedRegex(
        """(?i)(\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=|[?&]sig=)[^;&\s"'\\]+""",
        RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueSecret();
}
