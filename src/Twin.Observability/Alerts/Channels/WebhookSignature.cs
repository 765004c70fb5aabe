using System.Security.Cryptography;
using System.Text;

namespace Twin.Observability.Alerts.Channels;

/// <summary>
/// Signs a generic webhook delivery two ways over the exact bytes sent:
/// <list type="bullet">
/// <item>Standard Webhooks: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>, with
/// <c>webhook-id</c> and <c>webhook-timestamp</c> (unix seconds) beside it;</item>
/// <item>a Stripe-style alias, <c>X-Twin-Signature: t={timestamp},v1=&lt;hex HMAC-SHA256 of "{timestamp}.{body}"&gt;</c>,
/// for receivers written against that convention.</item>
/// </list>
/// The key is the base64-decoded rest of a <c>whsec_</c> secret (Standard Webhooks' format), else the secret's UTF-8 bytes.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string AliasHeader = "X-Twin-Signature";
    public const string StandardSecretPrefix = "whsec_";

    /// <summary>The HMAC key of <paramref name="secret"/>; throws <see cref="FormatException"/> for a <c>whsec_</c> secret that is not base64.</summary>
    public static byte[] Key(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return secret.StartsWith(StandardSecretPrefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(secret[StandardSecretPrefix.Length..])
            : Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>The value of <see cref="SignatureHeader"/>: <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Standard(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Hmac(key, $"{id}.{timestamp}.", body));

    /// <summary>The value of <see cref="AliasHeader"/>: <c>t=&lt;timestamp&gt;,v1=&lt;hex&gt;</c>.</summary>
    public static string Alias(byte[] key, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp},v1={Convert.ToHexStringLower(Hmac(key, $"{timestamp}.", body))}";

    /// <summary>
    /// The headers of one delivery. Without a secret only <c>webhook-id</c> and <c>webhook-timestamp</c> (a receiver
    /// still dedupes by id); with one, both signatures too.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(string? secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var headers = new List<KeyValuePair<string, string>>(4)
        {
            new(IdHeader, id),
            new(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(secret))
        {
            var key = Key(secret);
            headers.Add(new(SignatureHeader, Standard(key, id, timestamp, body)));
            headers.Add(new(AliasHeader, Alias(key, timestamp, body)));
        }

        return headers;
    }

    private static byte[] Hmac(byte[] key, string prefix, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(prefix));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
