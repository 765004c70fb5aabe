using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Twin.Observability.Common;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// Groups prompts and splits them between training and validation. A prompt's key is the hash of its content words
/// (lower-cased, plurals folded, stop words dropped, order ignored), so exact repeats and rephrasings with the same
/// words share a key; the split hashes the key with the seed, so one prompt's items all fall on one side, and the
/// same seed always gives the same split.
/// </summary>
public static class ExportSplit
{
    public static ulong PromptKeyOf(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var words = ContentWords.Of(prompt).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        // A prompt of stop words only ("who are you?") keeps its own text as its key rather than matching every other such prompt.
        var canonical = words.Count > 0 ? string.Join(' ', words) : prompt.Trim().ToLowerInvariant();
        return XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(canonical));
    }

    /// <summary>Whether the prompt with this key goes to the validation file: about <paramref name="share"/> of all keys do.</summary>
    public static bool IsValidation(ulong promptKey, int seed, double share)
    {
        if (share <= 0)
        {
            return false;
        }

        Span<byte> input = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(input, promptKey);
        BinaryPrimitives.WriteInt32LittleEndian(input[8..], seed);
        var position = (XxHash64.HashToUInt64(input) >> 11) * (1.0 / (1UL << 53));
        return position < share;
    }
}
