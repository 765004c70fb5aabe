using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Security.Outbound;

/// <summary>
/// The <c>Outbound</c> section: hosts that user-supplied URLs (alert webhooks, synthetic checks) may reach even though
/// they are, or resolve to, private addresses. An allowed host skips the address checks and may use plain http, so the
/// list is for tests and private deployments that knowingly call their own network.
/// </summary>
public sealed class OutboundOptions : IValidatableObject
{
    public const string SectionName = "Outbound";

    /// <summary>Host names or IP literals, matched case-insensitively and exactly (no wildcards, no suffix match).</summary>
    public IList<string> AllowedHosts { get; set; } = [];

    public bool IsAllowed(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var normalized = Normalize(host);
        foreach (var allowed in AllowedHosts)
        {
            if (!string.IsNullOrWhiteSpace(allowed) && string.Equals(Normalize(allowed), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedHosts.Count; i++)
        {
            var host = AllowedHosts[i];
            // A URL or a pattern here would silently never match; say so at start-up instead.
            if (string.IsNullOrWhiteSpace(host) || host.Contains("://", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal)
                || host.Contains('*', StringComparison.Ordinal) || host.Any(char.IsWhiteSpace))
            {
                yield return new ValidationResult($"{SectionName}:AllowedHosts:{i} must be a host name or an IP literal, without scheme, path or wildcard.");
            }
        }
    }

    // "[::1]" in a URL is "::1" in configuration, and "host." is the same name as "host".
    private static string Normalize(string host)
    {
        var span = host.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }

        if (span.Length > 1 && span[^1] == '.')
        {
            span = span[..^1];
        }

        return span.ToString();
    }
}
