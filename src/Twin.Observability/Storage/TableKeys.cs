using Twin.Observability.Common;

namespace Twin.Observability.Storage;

/// <summary>
/// The Table service's rules for PartitionKey and RowKey values: at most 1 KiB (512 UTF-16 characters), and none of
/// <c>/ \ # ?</c> or the control characters U+0000–U+001F and U+007F–U+009F. Checked before any call so a bad key is a
/// 400 with a reason, not a storage error.
/// </summary>
public static class TableKeys
{
    public const int MaxLength = 512;

    public static bool IsValid(string? key) => Describe(key) is null;

    /// <summary>Throws <see cref="RequestValidationException"/> naming <paramref name="field"/> when the key is not allowed.</summary>
    public static string Validate(string? key, string field)
    {
        var problem = Describe(key);
        if (problem is not null)
        {
            throw new RequestValidationException(field, problem);
        }

        return key!;
    }

    private static string? Describe(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "must not be empty.";
        }

        if (key.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters.";
        }

        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                return "must not contain '/', '\\', '#', '?' or control characters.";
            }
        }

        return null;
    }
}
