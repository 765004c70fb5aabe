using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Twin.LocalHost.Http;

/// <summary>Enforces function keys (<c>x-functions-key</c> header or <c>code</c> query) as the Functions host does.</summary>
public sealed class FunctionKeyAuthorizer(FunctionKeyOptions keys)
{
    public const string KeyHeader = "x-functions-key";

    public bool IsAuthorized(HttpRequest request, string functionName, string? authLevel)
    {
        if (string.IsNullOrEmpty(authLevel) || authLevel.Equals("Anonymous", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var presented = request.Headers[KeyHeader].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var accepted = new List<string?> { keys.MasterKey };
        if (!authLevel.Equals("Admin", StringComparison.OrdinalIgnoreCase))
        {
            accepted.AddRange(keys.HostKeys.Values);
            if (keys.FunctionKeys.TryGetValue(functionName, out var own))
            {
                accepted.AddRange(own.Values);
            }
        }

        var matched = false;
        foreach (var key in accepted)
        {
            matched |= !string.IsNullOrEmpty(key) && FixedTimeEquals(key, presented);
        }

        return matched;
    }

    private static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
