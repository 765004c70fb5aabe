using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Twin.Observability.Common;

namespace Twin.Observability.Datasets;

/// <summary>
/// MinHash signatures of a text's content words and their LSH bands. The words are those the near-duplicate check
/// always used (<see cref="ContentWords"/>, distinct, the first 200), so a threshold means what it meant before.
/// Everything is hashed with XxHash3 and fixed seeds: signatures and bucket keys are the same on every machine and
/// release, which the stored buckets depend on.
/// </summary>
public static class MinHash
{
    /// <summary>Bands of <see cref="Rows"/> minimums: pairs with Jaccard s share a band with probability 1 − (1 − s⁴)³².</summary>
    public const int Bands = 32;

    public const int Rows = 4;

    public const int MaxWords = 200;

    private const ulong WordSeed = 0x7477696e2d6e6464; // "twin-ndd"

    /// <summary>The 64-bit hashes of the text's distinct content words, sorted (what exact Jaccard and signatures use).</summary>
    public static ulong[] WordHashesOf(string text) => HashWords(ContentWords.Of(text).Distinct(StringComparer.Ordinal).Take(MaxWords));

    /// <summary>The sorted distinct hashes of words already reduced to content words.</summary>
    public static ulong[] HashWords(IEnumerable<string> words)
    {
        var hashes = words
            .Select(word => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(word), unchecked((long)WordSeed)))
            .Distinct()
            .ToArray();
        Array.Sort(hashes);
        return hashes;
    }

    /// <summary>
    /// Exact Jaccard index of two sorted word-hash sets (64-bit hashes of ≤ 200 words: a collision is ~10⁻¹⁵ likely).
    /// Two empty sets are identical.
    /// </summary>
    public static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)shared / (a.Length + b.Length - shared);
    }

    /// <summary>
    /// The bucket key of each band: the hash of the band's <see cref="Rows"/> minimums, seeded by the band number so equal
    /// minimums in different bands are different buckets. A text without content words has one signature, shared by all such texts.
    /// </summary>
    public static ulong[] BandKeysOf(ReadOnlySpan<ulong> wordHashes)
    {
        Span<ulong> minimums = stackalloc ulong[Bands * Rows];
        minimums.Fill(ulong.MaxValue);
        Span<byte> word = stackalloc byte[sizeof(ulong)];
        foreach (var hash in wordHashes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, hash);
            for (var f = 0; f < minimums.Length; f++)
            {
                // One hash function per signature row: XxHash3 of the word's hash with the row's fixed seed.
                minimums[f] = Math.Min(minimums[f], XxHash3.HashToUInt64(word, f + 1));
            }
        }

        var keys = new ulong[Bands];
        Span<byte> band = stackalloc byte[Rows * sizeof(ulong)];
        for (var b = 0; b < Bands; b++)
        {
            for (var r = 0; r < Rows; r++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(band[(r * sizeof(ulong))..], minimums[(b * Rows) + r]);
            }

            keys[b] = XxHash3.HashToUInt64(band, b);
        }

        return keys;
    }
}
