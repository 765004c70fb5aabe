using System.Buffers.Text;
using System.Text;
using Twin.Observability.Common;

namespace Twin.Observability.Storage;

/// <summary>
/// Wraps the Table SDK's continuation token in an opaque, URL-safe string with a version marker, so callers cannot
/// depend on its shape and a mangled token is a clear 400 rather than a storage error.
/// </summary>
public static class ContinuationTokens
{
    private const string Prefix = "t1:";

    public static string? Encode(string? storageToken) =>
        storageToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + storageToken));

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length)
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
            // Falls through to the validation error below: a token that is not Base64url is a caller mistake.
        }

        throw new RequestValidationException("continuationToken", "is not a token this API issued.");
    }
}
