using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Twin.Observability.Common;

namespace Twin.Observability.Storage;

/// <summary>
/// Wraps the Table SDK's continuation token (<c>{NextPartitionKey} {NextRowKey}</c>) in an opaque, URL-safe cursor
/// bound to the query it came from: <c>t2:</c>, a checksum over the table, the filter and the storage token, then the
/// storage token, Base64url-encoded. A token that is mangled, edited, first-version, or issued for another list fails
/// the checksum and is the same 400 as garbage; the storage part must also have the shape the Table service (or
/// Azurite) issues, so nothing odd is ever sent on. The checksum is not a secret (see docs/decisions.md): the cursor
/// grants nothing, since the service applies the filter to every page whatever the cursor says.
/// </summary>
public static class ContinuationTokens
{
    private const int ChecksumBytes = 16;
    private const int MaxKeyLength = 2048;
    private static readonly byte[] Prefix = "t2:"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What a token is bound to: the table and the exact filter sent (null for none).</summary>
    public static string Scope(string table, string? filter) => $"{table}\n{filter}";

    public static string? Encode(string? storageToken, string scope)
    {
        if (storageToken is null)
        {
            return null;
        }

        var cursor = Encoding.UTF8.GetBytes(storageToken);
        return Base64Url.EncodeToString([.. Prefix, .. Checksum(scope, cursor), .. cursor]);
    }

    public static string? Decode(string? token, string scope)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        return TryDecode(token, scope) ?? throw new RequestValidationException("continuationToken", "is not a token this API issued for this list.");
    }

    private static string? TryDecode(string token, string scope)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length <= Prefix.Length + ChecksumBytes || !bytes.AsSpan(0, Prefix.Length).SequenceEqual(Prefix))
        {
            return null;
        }

        var checksum = bytes.AsSpan(Prefix.Length, ChecksumBytes);
        var cursor = bytes.AsSpan(Prefix.Length + ChecksumBytes);
        if (!CryptographicOperations.FixedTimeEquals(checksum, Checksum(scope, cursor)))
        {
            return null;
        }

        string storageToken;
        try
        {
            storageToken = StrictUtf8.GetString(cursor);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return HasStorageShape(storageToken) ? storageToken : null;
    }

    private static byte[] Checksum(string scope, ReadOnlySpan<byte> cursor)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, scopeBytes.Length);
        return SHA256.HashData([.. "twin-continuation-token/2\n"u8, .. length, .. scopeBytes, .. cursor])[..ChecksumBytes];
    }

    // NextPartitionKey, a space, NextRowKey (which may be empty): the Table service issues "1!8!cGFydA--"-style keys,
    // Azurite plain Base64; both use only these characters.
    private static bool HasStorageShape(string storageToken)
    {
        var parts = storageToken.Split(' ');
        return parts.Length == 2
            && parts[0].Length is > 0 and <= MaxKeyLength
            && parts[1].Length <= MaxKeyLength
            && parts.All(p => p.All(IsKeyCharacter));
    }

    private static bool IsKeyCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '!' or '+' or '/' or '=' or '-' or '_' or '*';
}
