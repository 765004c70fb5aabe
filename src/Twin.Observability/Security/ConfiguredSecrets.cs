using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Security;

/// <summary>
/// The values of the configuration that are secrets: every setting whose name ends in <c>Key</c>, <c>Secret</c>,
/// <c>Password</c>, <c>Token</c> or <c>ConnectionString</c> (<c>Llm:ApiKey</c>, <c>Langfuse:SecretKey</c>,
/// <c>LANGFUSE_SECRET_KEY</c>, …), the key parts of any connection string (<c>AccountKey=</c>, <c>SharedAccessKey=</c>,
/// <c>Password=</c>), and the Langfuse Basic credential built from the key pair, in plain and Base64 form.
/// </summary>
public static class ConfiguredSecrets
{
    private static readonly string[] SecretNameEndings = ["key", "secret", "password", "pwd", "token", "connectionstring"];
    private static readonly string[] ConnectionStringSecretParts = ["AccountKey", "SharedAccessKey", "SharedAccessSignature", "Password", "Pwd"];

    public static IReadOnlyList<string> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (IsSecretName(key) && !IsPlainValue(value))
            {
                secrets.Add(value);
            }

            secrets.AddRange(ConnectionStringSecrets(value));
        }

        var langfuse = LangfuseOptions.Read(configuration);
        if (langfuse.IsConfigured)
        {
            var pair = $"{langfuse.PublicKey}:{langfuse.SecretKey}";
            secrets.Add(pair);
            secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
            secrets.Add(langfuse.PublicKey!);
            secrets.Add(langfuse.SecretKey!);
        }

        // Upstreams that echo a request often echo it URL-encoded.
        return [.. secrets, .. secrets.Select(Uri.EscapeDataString).Where(escaped => !secrets.Contains(escaped, StringComparer.Ordinal))];
    }

    private static bool IsSecretName(string key)
    {
        var name = key[(key.LastIndexOf(':') + 1)..].Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return SecretNameEndings.Any(ending => name.EndsWith(ending, StringComparison.OrdinalIgnoreCase));
    }

    // A flag or a number under a secret-sounding name (Chat:MaxTokens-like settings) is configuration, not a secret.
    private static bool IsPlainValue(string value) =>
        bool.TryParse(value, out _) || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static IEnumerable<string> ConnectionStringSecrets(string value)
    {
        if (!value.Contains('=', StringComparison.Ordinal) || !value.Contains(';', StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && ConnectionStringSecretParts.Contains(part[..separator], StringComparer.OrdinalIgnoreCase))
            {
                yield return part[(separator + 1)..];
            }
        }
    }
}
