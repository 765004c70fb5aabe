using System.Security.Cryptography;
using System.Text;

namespace Twin.Observability.Security;

/// <summary>The <c>sha256:&lt;hex&gt;</c> form in which API keys are configured.</summary>
public static class ApiKeyHash
{
    private const string Prefix = "sha256:";

    public static string Compute(string key) => Prefix + Convert.ToHexStringLower(Digest(key));

    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool TryParse(string? value, out byte[] digest)
    {
        digest = [];
        if (value is null || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || value.Length != Prefix.Length + 64)
        {
            return false;
        }

        try
        {
            digest = Convert.FromHexString(value.AsSpan(Prefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
