using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Twin.Observability.Experiments;

/// <summary>
/// Deterministic, sticky assignment of a unit (a user, visitor or share token) to a variant: XxHash64 of the test id
/// and the unit id (never <c>string.GetHashCode</c>, which changes between processes), taken as a point in [0, 1) and
/// located on the variants' cumulative weights. The same unit always lands in the same variant of a test, and units
/// spread over the variants in proportion to the weights. Allocates nothing.
/// </summary>
public static class VariantAssigner
{
    private const int StackLimit = 512;

    /// <param name="cumulativeWeights">Each variant's upper bound on [0, 1], ascending, the last 1.</param>
    public static int Assign(string testId, string unitId, ReadOnlySpan<double> cumulativeWeights)
    {
        ArgumentNullException.ThrowIfNull(testId);
        ArgumentNullException.ThrowIfNull(unitId);
        var point = PointOf(testId, unitId);
        for (var i = 0; i < cumulativeWeights.Length - 1; i++)
        {
            if (point < cumulativeWeights[i])
            {
                return i;
            }
        }

        return cumulativeWeights.Length - 1;
    }

    /// <summary>The variants' cumulative weights, normalised so the last is 1.</summary>
    public static double[] CumulativeWeights(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var total = weights.Sum();
        var cumulative = new double[weights.Count];
        var running = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            running += weights[i];
            cumulative[i] = running / total;
        }

        cumulative[^1] = 1;
        return cumulative;
    }

    /// <summary>The unit's point in [0, 1): the top 53 bits of the hash, so every double in the range is equally likely.</summary>
    public static double PointOf(string testId, string unitId)
    {
        var length = Encoding.UTF8.GetMaxByteCount(testId.Length + unitId.Length + 1);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(testId, buffer);
            // A separator that cannot occur in either id keeps ("ab", "c") and ("a", "bc") apart.
            buffer[written++] = 0;
            written += Encoding.UTF8.GetBytes(unitId, buffer[written..]);
            return (XxHash64.HashToUInt64(buffer[..written]) >> 11) * (1.0 / (1UL << 53));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
