using System.Security.Cryptography;
using System.Text;

namespace Twin.Observability.Tests.Alerts.Channels;

/// <summary>
/// A receiver's check of both signatures, written from the conventions (Standard Webhooks, Stripe) and not from the
/// signer: it builds the signed string itself and compares in constant time.
/// </summary>
internal static class IndependentWebhookVerifier
{
    public static byte[] KeyOf(string secret) =>
        secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret.Substring(6)) : Encoding.UTF8.GetBytes(secret);

    /// <summary>Standard Webhooks: <c>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>, possibly several, space-separated.</summary>
    public static bool StandardValid(string secret, string id, string timestamp, byte[] body, string header)
    {
        var signed = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(KeyOf(secret), signed);
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && part[..comma] == "v1" && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(part[(comma + 1)..]), expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stripe style: <c>t=…,v1=hex(HMAC-SHA256(key, "{t}.{body}"))</c>.</summary>
    public static bool AliasValid(string secret, byte[] body, string header, out string timestamp)
    {
        var pairs = header.Split(',').Select(p => p.Split('=', 2)).ToList();
        timestamp = pairs.Single(p => p[0] == "t")[1];
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(KeyOf(secret), signed);
        return pairs.Where(p => p[0] == "v1").Any(p => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(p[1]), expected));
    }
}
