using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Security;

/// <summary>
/// Finds the configured key a caller presented. The presented key is hashed and compared with every configured hash
/// in constant time, without stopping at the first match, so response timing says nothing about which bytes matched.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly (byte[] Digest, Caller Caller)[] _keys;

    public ApiKeyAuthenticator(IOptions<AuthOptions> options)
    {
        _keys = options.Value.ApiKeys
            .Select(k => (Parsed: ApiKeyHash.TryParse(k.Hash, out var digest), Digest: digest, Key: k))
            // Start-up refuses either (AuthOptions); a key that got past it anyway opens nothing.
            .Where(k => k.Parsed && k.Key.Role is not null)
            .Select(k => (k.Digest, new Caller(k.Key.Name, k.Key.Role!.Value, k.Key.UserId)))
            .ToArray();
    }

    public bool HasKeys => _keys.Length > 0;

    /// <summary>The caller that holds <paramref name="presentedKey"/>, or null when it matches no configured key.</summary>
    public Caller? Authenticate(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return null;
        }

        var digest = ApiKeyHash.Digest(presentedKey);
        Caller? match = null;
        foreach (var (configured, caller) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(configured, digest))
            {
                match ??= caller;
            }
        }

        return match;
    }
}
