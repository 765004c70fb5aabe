namespace Twin.Observability.Metrics;

/// <summary>
/// A mergeable latency histogram in the DDSketch style (Masson, Rim and Lee, VLDB 2019): latencies in milliseconds
/// fall into logarithmic buckets whose width grows with the value, so every quantile is within 1 % relative error
/// however wide the spread, and 50 ms to 30 s takes about 320 buckets. Sketches of minutes merge into hours and days
/// with no loss of accuracy, and <see cref="ToBytes"/> is compact enough for a binary property of an Azure Table
/// rollup row (64 KB at most; an hour of 10,000 latencies takes under 1 KB).
/// </summary>
/// <remarks>
/// <para>
/// <b>Buckets.</b> With α = <see cref="RelativeAccuracy"/> and γ = (1+α)/(1−α), a value x ≥ <see cref="MinIndexableValue"/>
/// goes to bucket i = ceil(ln x / ln γ), that is (γ^(i−1), γ^i], whose representative value 2γ^i/(γ+1) is within α
/// of every value in it. Values below <see cref="MinIndexableValue"/>, 0 included, count in a zero bucket whose
/// representative is 0 (absolute error under 1e-9 ms).
/// </para>
/// <para>
/// <b>Quantiles</b> use the lower rank: <c>Quantile(q)</c> estimates the value at 0-based rank floor(q·(Count−1)) of
/// the sorted data (never an interpolation between two ranks), within 1 % relative error. Rank 0 and rank Count−1
/// return the exact <see cref="Min"/> and <see cref="Max"/>, and every estimate is clamped to [Min, Max].
/// </para>
/// <para>
/// <b>Empty sketch</b> (a quiet minute is normal, so nothing throws): <see cref="Quantile"/>, <see cref="Min"/>,
/// <see cref="Max"/> and <see cref="Mean"/> return NaN, <see cref="Sum"/> is 0.
/// </para>
/// <para>
/// <b>Determinism.</b> The state is the count per bucket, the exact count, Min, Max and the Sum as an integer number
/// of nanoseconds (each value rounded to the nearest nanosecond, accumulated in 128 bits), all independent of the
/// order of adds and merges: merging the same sketches in any order or grouping gives byte-identical
/// <see cref="ToBytes"/> output, and equals the sketch of the concatenated data. A double Sum would not: floating-point
/// addition is not associative. Bucket indexes come from <see cref="Math.Log(double)"/>, so a value within an ulp of a
/// bucket boundary could index differently on another runtime or CPU; rollups recomputed on the same platform are
/// identical.
/// </para>
/// <para>
/// <b>Serialised form</b>, version 1 (varint = unsigned LEB128, minimal length; float64 = IEEE 754 little-endian):
/// <list type="number">
/// <item>byte: format version, 1.</item>
/// <item>varint: Count. When 0 the data ends here.</item>
/// <item>varint: count of the zero bucket.</item>
/// <item>varint (up to 128 bits): Sum in nanoseconds.</item>
/// <item>float64: Min; float64: Max.</item>
/// <item>varint: number of non-empty buckets, then for each in ascending index order: the first bucket's index as a
/// zigzag varint, every later one as the varint gap (index − previous index − 1); then the bucket's count (≥ 1) as a
/// varint.</item>
/// </list>
/// <see cref="FromBytes"/> checks every field (lengths, ranges, and that counts, Sum, Min and Max agree with the
/// buckets) and throws <see cref="FormatException"/> on anything else.
/// </para>
/// <para>Not thread-safe: one writer at a time.</para>
/// </remarks>
public sealed partial class LatencySketch
{
    /// <summary>The relative error bound α of every quantile.</summary>
    public const double RelativeAccuracy = 0.01;

    /// <summary>
    /// 1e-9 ms (a picosecond): smaller values, 0 included, count in the zero bucket. No timer resolves them, and
    /// indexing them would widen the bucket range for nothing.
    /// </summary>
    public const double MinIndexableValue = 1e-9;

    /// <summary>
    /// The largest accepted latency, 1e12 ms (about 31.7 years; anything larger is a clock bug). It bounds the bucket
    /// range, and so the memory a sketch can take (2,419 buckets), and keeps the nanosecond Sum within 128 bits.
    /// </summary>
    public const double MaxValue = 1e12;

    private const byte FormatVersion = 1;
    private const double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private const double NanosecondsPerMillisecond = 1e6;

    // Extra buckets on each side that grows: a widening range then reallocates a few times, not once per new bucket.
    private const int GrowthSlack = 32;

    // Version, Count, zero count, Sum (128-bit varint), Min, Max, number of buckets; then per bucket an index and a count.
    private const int MaxHeaderBytes = 1 + 10 + 10 + 19 + 8 + 8 + 10;
    private const int MaxBucketBytes = 10 + 10;

    private static readonly double LogGamma = Math.Log(Gamma);
    private static readonly int MinIndex = IndexOf(MinIndexableValue);
    private static readonly int MaxIndex = IndexOf(MaxValue);

    // Counts of the contiguous bucket range starting at index _offset; empty buckets hold 0.
    private long[] _counts = [];
    private int _offset;
    private long _zeroCount;
    private long _count;
    private Int128 _sumNanoseconds;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>The number of values added.</summary>
    public long Count => _count;

    /// <summary>The sum of the values in milliseconds, each rounded to the nearest nanosecond; 0 when empty.</summary>
    public double Sum => (double)_sumNanoseconds / NanosecondsPerMillisecond;

    /// <summary>The exact smallest value, or NaN when empty.</summary>
    public double Min => _count == 0 ? double.NaN : _min;

    /// <summary>The exact largest value, or NaN when empty.</summary>
    public double Max => _count == 0 ? double.NaN : _max;

    /// <summary><see cref="Sum"/> / <see cref="Count"/>, or NaN when empty.</summary>
    public double Mean => _count == 0 ? double.NaN : Sum / _count;

    /// <summary>Adds one latency in milliseconds: finite, in [0, <see cref="MaxValue"/>].</summary>
    public void Add(double value) => Add(value, 1);

    /// <summary>
    /// Adds <paramref name="count"/> occurrences of a latency in milliseconds (finite, in [0, <see cref="MaxValue"/>]);
    /// a count of 0 adds nothing. Throws <see cref="OverflowException"/> if <see cref="Count"/> would exceed
    /// <see cref="long.MaxValue"/>.
    /// </summary>
    public void Add(double value, long count)
    {
        if (!double.IsFinite(value) || value < 0 || value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A latency must be a finite number of milliseconds in [0, {MaxValue:R}].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        var total = checked(_count + count);

        // -0.0 passes the checks above; normalised so that Min, and so the bytes, never depend on the sign of a zero.
        if (value == 0)
        {
            value = 0;
        }

        if (value < MinIndexableValue)
        {
            _zeroCount += count;
        }
        else
        {
            var index = IndexOf(value);
            if (index < _offset || index >= _offset + _counts.Length)
            {
                Grow(index, index);
            }

            _counts[index - _offset] += count;
        }

        _sumNanoseconds += (Int128)(long)Math.Round(value * NanosecondsPerMillisecond) * count;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        _count = total;
    }

    /// <summary>
    /// Adds every value of <paramref name="other"/> to this sketch (<paramref name="other"/> is unchanged; merging a
    /// sketch into itself doubles it).
    /// </summary>
    public void Merge(LatencySketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._count == 0)
        {
            return;
        }

        var total = checked(_count + other._count);
        var first = other._counts.AsSpan().IndexOfAnyExcept(0L);
        if (first >= 0)
        {
            var last = other._counts.AsSpan().LastIndexOfAnyExcept(0L);
            var low = other._offset + first;
            var high = other._offset + last;
            if (low < _offset || high >= _offset + _counts.Length)
            {
                Grow(low, high);
            }

            var source = other._counts.AsSpan(first, last - first + 1);
            var target = _counts.AsSpan(low - _offset, source.Length);
            for (var i = 0; i < source.Length; i++)
            {
                target[i] += source[i];
            }
        }

        _zeroCount += other._zeroCount;
        _sumNanoseconds += other._sumNanoseconds;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
        _count = total;
    }

    /// <summary>A new sketch holding every value of <paramref name="sketches"/> (empty if there are none).</summary>
    public static LatencySketch Merge(IEnumerable<LatencySketch> sketches)
    {
        ArgumentNullException.ThrowIfNull(sketches);
        var merged = new LatencySketch();
        foreach (var sketch in sketches)
        {
            merged.Merge(sketch);
        }

        return merged;
    }

    /// <summary>
    /// The estimated value at 0-based rank floor(<paramref name="q"/>·(Count−1)) of the sorted values, within 1 %
    /// relative error (see the remarks); NaN when empty. <paramref name="q"/> must be in [0, 1].
    /// </summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile must be in [0, 1].");
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        // Min() because (double)(Count − 1) can round up past Count − 1 for counts beyond 2^53.
        var rank = Math.Min((long)Math.Floor(q * (_count - 1)), _count - 1);
        if (rank == 0)
        {
            return _min;
        }

        if (rank == _count - 1)
        {
            return _max;
        }

        // The zero bucket's values lie in [Min, MinIndexableValue): its representative 0 clamps to Min.
        if (rank < _zeroCount)
        {
            return _min;
        }

        var seen = _zeroCount;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen > rank)
            {
                // Clamping only moves the estimate towards the true value, which lies in [Min, Max] too.
                return Math.Clamp(RepresentativeOf(_offset + i), _min, _max);
            }
        }

        throw new InvalidOperationException("Bucket counts do not add up to Count.");
    }

    private static int IndexOf(double value) => (int)Math.Ceiling(Math.Log(value) / LogGamma);

    private static double RepresentativeOf(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);

    private void Grow(int low, int high)
    {
        var hasBuckets = _counts.Length > 0;
        var end = _offset + _counts.Length - 1;
        var newLow = hasBuckets ? Math.Min(low, _offset) : low;
        var newHigh = hasBuckets ? Math.Max(high, end) : high;
        var slack = Math.Max(GrowthSlack, (newHigh - newLow + 1) / 2);
        if (!hasBuckets || newLow < _offset)
        {
            newLow = Math.Max(MinIndex, newLow - slack);
        }

        if (!hasBuckets || newHigh > end)
        {
            newHigh = Math.Min(MaxIndex, newHigh + slack);
        }

        var grown = new long[newHigh - newLow + 1];
        if (hasBuckets)
        {
            _counts.CopyTo(grown.AsSpan(_offset - newLow));
        }

        _counts = grown;
        _offset = newLow;
    }
}
