using System.Security.Cryptography;
using System.Text;

namespace Twin.Observability.Twins;

/// <summary>
/// How a twin id from a URL is recorded in telemetry (the <c>twin:</c> tag, trace metadata, the ledger's TwinId)
/// before it is known to name a twin: a caller chooses that string, so it is recorded only once the twin exists. An id
/// that breaks the twin id rules is <see cref="Invalid"/>; a well-formed id not (yet) known to name a twin is
/// <see cref="Unknown"/>, with the raw id only as <see cref="HashOf"/> (metadata <c>twin_id_hash</c>, ledger column
/// <c>TwinIdHash</c>), which an operator can match by hashing a suspected id.
/// </summary>
public static class TwinIdLabels
{
    public const string Invalid = "(invalid)";
    public const string Unknown = "(unknown)";

    /// <summary>The first 16 hex digits of the SHA-256 of the id's UTF-8 bytes: enough to match, too short to carry data.</summary>
    public static string HashOf(string rawId)
    {
        ArgumentNullException.ThrowIfNull(rawId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rawId)))[..16];
    }
}
