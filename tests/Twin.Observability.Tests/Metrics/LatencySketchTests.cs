using Twin.Observability.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Metrics;

public sealed class LatencySketchTests
{
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99, 0.999];
    private static readonly double LogGamma = Math.Log((1 + LatencySketch.RelativeAccuracy) / (1 - LatencySketch.RelativeAccuracy));

    [Theory]
    [InlineData("log-normal", 1)]
    [InlineData("log-normal", 2)]
    [InlineData("pareto", 3)]
    [InlineData("pareto", 4)]
    public void Quantiles_of_skewed_data_are_within_one_percent_of_the_exact_values(string distribution, int seed)
    {
        var values = distribution == "pareto" ? Pareto(seed, 100_000) : LogNormal(seed, 100_000);
        var sketch = SketchOf(values);

        var sorted = values.Order().ToArray();
        foreach (var q in Quantiles)
        {
            AssertWithinOnePercent(ExactQuantile(sorted, q), sketch.Quantile(q), $"{distribution} q={q}");
        }
    }

    [Theory]
    [InlineData("random")]
    [InlineData("ascending")]
    [InlineData("descending")]
    public void Every_quantile_is_within_one_percent_from_a_nanosecond_to_eleven_days(string order)
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(Math.Log(1e-6) + (random.NextDouble() * Math.Log(1e15)))).ToArray();
        var sorted = values.Order().ToArray();
        var sketch = SketchOf(order switch { "ascending" => sorted, "descending" => Enumerable.Reverse(sorted).ToArray(), _ => values });

        for (var k = 0; k <= 1000; k++)
        {
            var q = k / 1000.0;
            AssertWithinOnePercent(ExactQuantile(sorted, q), sketch.Quantile(q), $"q={q}");
        }
    }

    [Fact]
    public void A_quantile_is_the_value_at_the_lower_rank_not_an_interpolation()
    {
        var sketch = SketchOf([4, 1, 3, 2]);

        AssertWithinOnePercent(2, sketch.Quantile(0.5), "rank floor(0.5 * 3) = 1");
        AssertWithinOnePercent(3, sketch.Quantile(0.75), "rank floor(0.75 * 3) = 2");
        AssertWithinOnePercent(3, sketch.Quantile(0.99), "rank floor(0.99 * 3) = 2");
        Assert.Equal(1, sketch.Quantile(0));
        Assert.Equal(4, sketch.Quantile(1));
    }

    [Fact]
    public void Merging_in_any_order_or_grouping_gives_identical_bytes_equal_to_the_sketch_of_all_the_data()
    {
        var (a, b, c) = ThreeParts();
        var all = a.Concat(b).Concat(c).ToArray();
        new Random(6).Shuffle(all);
        var expected = SketchOf(all);

        var groupings = new Dictionary<string, LatencySketch>
        {
            ["(a+b)+c"] = MergeOf(MergeOf(SketchOf(a), SketchOf(b)), SketchOf(c)),
            ["a+(b+c)"] = MergeOf(SketchOf(a), MergeOf(SketchOf(b), SketchOf(c))),
            ["(c+b)+a"] = MergeOf(MergeOf(SketchOf(c), SketchOf(b)), SketchOf(a)),
            ["b+(a+c)"] = MergeOf(SketchOf(b), MergeOf(SketchOf(a), SketchOf(c))),
            ["Merge([c, a, b])"] = LatencySketch.Merge([SketchOf(c), SketchOf(a), SketchOf(b)]),
            ["c, then a added to it"] = AddAll(SketchOf(c), a, b),
        };

        foreach (var (grouping, merged) in groupings)
        {
            Assert.True(expected.ToBytes().AsSpan().SequenceEqual(merged.ToBytes()), grouping);
            Assert.Equal(expected.Count, merged.Count);
            Assert.Equal(expected.Sum, merged.Sum);
            Assert.Equal(expected.Min, merged.Min);
            Assert.Equal(expected.Max, merged.Max);
            Assert.Equal(Quantiles.Select(expected.Quantile), Quantiles.Select(merged.Quantile));
        }

        Assert.Equal(all.Length, expected.Count);
        Assert.Equal(all.Min(), expected.Min);
        Assert.Equal(all.Max(), expected.Max);
    }

    [Fact]
    public void Merging_leaves_the_other_sketch_unchanged_and_an_empty_sketch_changes_nothing()
    {
        var (a, b, _) = ThreeParts();
        var sketch = SketchOf(a);
        var other = SketchOf(b);
        var otherBytes = other.ToBytes();
        var before = sketch.ToBytes();

        sketch.Merge(new LatencySketch());
        Assert.Equal(before, sketch.ToBytes());

        sketch.Merge(other);
        Assert.Equal(otherBytes, other.ToBytes());
        Assert.Equal(otherBytes, MergeOf(new LatencySketch(), other).ToBytes());
        Assert.Equal(new LatencySketch().ToBytes(), LatencySketch.Merge([]).ToBytes());
    }

    [Fact]
    public void Merging_a_sketch_into_itself_doubles_every_count()
    {
        var (_, _, c) = ThreeParts();
        var sketch = SketchOf(c);
        var doubled = new LatencySketch();
        foreach (var value in c)
        {
            doubled.Add(value, 2);
        }

        sketch.Merge(sketch);

        Assert.Equal(doubled.ToBytes(), sketch.ToBytes());
    }

    [Fact]
    public void Adding_a_count_equals_adding_the_value_that_many_times()
    {
        var once = new LatencySketch();
        var repeated = new LatencySketch();

        once.Add(42.5, 1000);
        once.Add(0, 3);
        for (var i = 0; i < 1000; i++)
        {
            repeated.Add(42.5);
        }

        repeated.Add(0);
        repeated.Add(0);
        repeated.Add(0);

        Assert.Equal(repeated.ToBytes(), once.ToBytes());
    }

    [Fact]
    public void Sum_is_exact_to_the_nanosecond_whatever_the_order()
    {
        var tenths = SketchOf(Enumerable.Repeat(0.1, 10).ToArray());
        Assert.NotEqual(1.0, Enumerable.Repeat(0.1, 10).Sum());
        Assert.Equal(1.0, tenths.Sum);
        Assert.Equal(0.1, tenths.Mean);

        var values = LogNormal(7, 10_000);
        var forward = SketchOf(values);
        var backward = SketchOf(Enumerable.Reverse(values).ToArray());
        Assert.Equal(forward.Sum, backward.Sum);
        Assert.True(Math.Abs(forward.Sum - values.Sum()) <= values.Length * 0.5e-6, $"{forward.Sum} vs {values.Sum()}");
        Assert.Equal(forward.Sum / values.Length, forward.Mean);
    }

    [Fact]
    public void A_sketch_round_trips_through_its_bytes()
    {
        var (a, b, c) = ThreeParts();
        var sketch = SketchOf([.. a, .. b, .. c]);

        var bytes = sketch.ToBytes();
        var decoded = LatencySketch.FromBytes(bytes);

        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Equal(sketch.Count, decoded.Count);
        Assert.Equal(sketch.Sum, decoded.Sum);
        Assert.Equal(sketch.Min, decoded.Min);
        Assert.Equal(sketch.Max, decoded.Max);
        Assert.Equal(sketch.Mean, decoded.Mean);
        for (var k = 0; k <= 100; k++)
        {
            Assert.Equal(sketch.Quantile(k / 100.0), decoded.Quantile(k / 100.0));
        }

        // A decoded sketch keeps growing like the original, below and above its range.
        foreach (var value in new[] { 0.001, 5e6, 250 })
        {
            sketch.Add(value);
            decoded.Add(value);
        }

        decoded.Merge(LatencySketch.FromBytes(SketchOf(a).ToBytes()));
        sketch.Merge(SketchOf(a));
        Assert.Equal(sketch.ToBytes(), decoded.ToBytes());
    }

    [Fact]
    public void An_empty_sketch_reports_NaN_and_round_trips_in_two_bytes()
    {
        var empty = new LatencySketch();

        var bytes = empty.ToBytes();
        var decoded = LatencySketch.FromBytes(bytes);

        Assert.Equal(new byte[] { 1, 0 }, bytes);
        foreach (var sketch in new[] { empty, decoded })
        {
            Assert.Equal(0, sketch.Count);
            Assert.Equal(0, sketch.Sum);
            Assert.True(double.IsNaN(sketch.Min));
            Assert.True(double.IsNaN(sketch.Max));
            Assert.True(double.IsNaN(sketch.Mean));
            Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        }
    }

    [Fact]
    public void Zeros_and_sub_picosecond_values_count_in_the_zero_bucket()
    {
        var sketch = new LatencySketch();
        sketch.Add(0, 3);
        sketch.Add(-0.0);
        sketch.Add(1e-12);
        sketch.Add(100);

        Assert.Equal(6, sketch.Count);
        Assert.Equal(0, sketch.Min);
        Assert.False(double.IsNegative(sketch.Min));
        Assert.Equal(0, sketch.Quantile(0.5));
        Assert.Equal(0, sketch.Quantile(0.8));
        Assert.Equal(100, sketch.Quantile(1));
        Assert.Equal(sketch.ToBytes(), LatencySketch.FromBytes(sketch.ToBytes()).ToBytes());

        var positiveZero = new LatencySketch();
        positiveZero.Add(0);
        var negativeZero = new LatencySketch();
        negativeZero.Add(-0.0);
        Assert.Equal(positiveZero.ToBytes(), negativeZero.ToBytes());

        var onlyTiny = SketchOf([1e-12, 5e-10, 0]);
        Assert.Equal(0, onlyTiny.Quantile(0));
        Assert.Equal(0, onlyTiny.Quantile(0.5));
        Assert.Equal(5e-10, onlyTiny.Quantile(1));
        Assert.Equal(onlyTiny.ToBytes(), LatencySketch.FromBytes(onlyTiny.ToBytes()).ToBytes());
    }

    [Fact]
    public void A_single_value_is_every_quantile_exactly()
    {
        var sketch = SketchOf([123.456]);
        var decoded = LatencySketch.FromBytes(sketch.ToBytes());

        foreach (var s in new[] { sketch, decoded })
        {
            Assert.Equal(1, s.Count);
            Assert.Equal(123.456, s.Min);
            Assert.Equal(123.456, s.Max);
            Assert.Equal(123.456, s.Sum);
            Assert.Equal(123.456, s.Mean);
            foreach (var q in new[] { 0, 0.5, 0.99, 1 })
            {
                Assert.Equal(123.456, s.Quantile(q));
            }
        }
    }

    [Fact]
    public void Min_and_max_are_exact_and_the_extremes_are_accepted()
    {
        var values = Pareto(8, 5_000);
        var sketch = SketchOf(values);
        Assert.Equal(values.Min(), sketch.Min);
        Assert.Equal(values.Max(), sketch.Max);
        Assert.Equal(values.Min(), sketch.Quantile(0));
        Assert.Equal(values.Max(), sketch.Quantile(1));

        sketch.Add(LatencySketch.MinIndexableValue);
        sketch.Add(LatencySketch.MaxValue);
        var decoded = LatencySketch.FromBytes(sketch.ToBytes());
        Assert.Equal(LatencySketch.MinIndexableValue, decoded.Min);
        Assert.Equal(LatencySketch.MaxValue, decoded.Max);
        Assert.Equal(LatencySketch.MaxValue, decoded.Quantile(1));
        Assert.Equal(sketch.ToBytes(), decoded.ToBytes());
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("log-uniform")]
    public void An_hour_of_ten_thousand_latencies_from_50ms_to_30s_serialises_in_under_2KB(string spread)
    {
        var random = new Random(9);
        var values = Enumerable.Range(0, 10_000)
            .Select(_ => spread == "uniform" ? 50 + (random.NextDouble() * 29_950) : 50 * Math.Exp(random.NextDouble() * Math.Log(600)))
            .ToArray();

        var bytes = SketchOf(values).ToBytes();

        Assert.InRange(bytes.Length, 300, 2047);
    }

    [Fact]
    public void The_widest_possible_sketch_fits_an_Azure_Table_binary_property()
    {
        var sketch = new LatencySketch();
        sketch.Add(0, long.MaxValue / 4);
        for (var value = LatencySketch.MinIndexableValue; value <= LatencySketch.MaxValue; value *= 1.01)
        {
            sketch.Add(value, 1_000_000_000_000);
        }

        var bytes = sketch.ToBytes();

        Assert.InRange(bytes.Length, 2_000, 64 * 1024);
        Assert.Equal(bytes, LatencySketch.FromBytes(bytes).ToBytes());
    }

    [Fact]
    public void The_bytes_follow_the_documented_format()
    {
        var sketch = SketchOf([30, 10, 20, 30, 0]);

        var expected = Encode(count: 5, zeroCount: 1, sumNanoseconds: 90_000_000, min: 0, max: 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 2));

        Assert.Equal(expected, sketch.ToBytes());
        Assert.Equal(116, IndexOf(10));
    }

    [Fact]
    public void Adding_to_an_existing_bucket_does_not_allocate()
    {
        var values = LogNormal(10, 1_000);
        var sketch = SketchOf(values);
        AddAll(sketch, values);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
        {
            foreach (var value in values)
            {
                sketch.Add(value);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(12_000, sketch.Count);
    }

    public static TheoryData<string, byte[]> MalformedData()
    {
        var good = Encode(3, 0, 60_000_000, 10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1));
        return new TheoryData<string, byte[]>
        {
            { "no data", [] },
            { "version 0", [0, 0] },
            { "version 2", [2, 0] },
            { "version 255", [.. good.Skip(1).Prepend((byte)255)] },
            { "no count", [1] },
            { "trailing byte after an empty sketch", [1, 0, 0] },
            { "trailing byte", [.. good, 0] },
            { "overlong varint", [1, 0x80, 0x00] },
            { "count overflows 64 bits", [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02] },
            { "count above long.MaxValue", [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
            { "count too large for the buckets", Encode(4, 0, 60_000_000, 10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "count too small for the buckets", Encode(2, 0, 40_000_000, 10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "zero count above count", Encode(3, 4, 60_000_000, 0, 30, (IndexOf(10), 1)) },
            { "empty bucket", Encode(3, 0, 60_000_000, 10, 30, (IndexOf(10), 1), (IndexOf(20), 0), (IndexOf(30), 2)) },
            { "NaN min", Encode(3, 0, 60_000_000, double.NaN, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "negative min", Encode(3, 0, 60_000_000, -10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "min above max", Encode(3, 0, 60_000_000, 31, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "infinite max", Encode(3, 0, 60_000_000, 10, double.PositiveInfinity, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "min outside the first bucket", Encode(3, 0, 60_000_000, 11, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "max outside the last bucket", Encode(3, 0, 60_000_000, 10, 29, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "bucket beyond max", Encode(3, 0, 60_000_000, 10, 30, (IndexOf(10), 1), (IndexOf(30), 1), (IndexOf(40), 1)) },
            { "bucket index far out of range", Encode(3, 0, 60_000_000, 10, 30, (int.MinValue, 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "zero bucket but min above zero", Encode(3, 1, 50_000_000, 10, 30, (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "buckets but max in the zero bucket", Encode(3, 2, 0, 0, 0, (IndexOf(10), 1)) },
            { "sum above count times max", Encode(3, 0, 90_000_001, 10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "sum below count times min", Encode(3, 0, 29_999_999, 10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1)) },
            { "sum overflows 128 bits", [1, 3, 0, .. Enumerable.Repeat((byte)0xFF, 18), 0x04] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedData))]
    public void Malformed_bytes_throw_a_FormatException(string problem, byte[] bytes)
    {
        var exception = Assert.Throws<FormatException>(() => LatencySketch.FromBytes(bytes));

        Assert.False(string.IsNullOrWhiteSpace(exception.Message), problem);
        if (problem.StartsWith("version", StringComparison.Ordinal))
        {
            Assert.Contains("version", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_malformed_cases_start_from_what_the_sketch_writes()
    {
        var good = Encode(3, 0, 60_000_000, 10, 30, (IndexOf(10), 1), (IndexOf(20), 1), (IndexOf(30), 1));

        Assert.Equal(good, SketchOf([10, 20, 30]).ToBytes());
    }

    [Fact]
    public void Every_truncation_of_valid_bytes_throws_a_FormatException()
    {
        var (a, b, c) = ThreeParts();
        var bytes = SketchOf([.. a, .. b, .. c]).ToBytes();

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<FormatException>(() => LatencySketch.FromBytes(prefix));
        }
    }

    [Fact]
    public void Garbage_throws_a_FormatException()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 2_000; trial++)
        {
            // At least 3 bytes: [1, 0] is the valid empty sketch.
            var garbage = new byte[random.Next(3, 200)];
            random.NextBytes(garbage);
            if (trial % 2 == 0)
            {
                garbage[0] = 1;
            }

            Assert.Throws<FormatException>(() => LatencySketch.FromBytes(garbage));
        }
    }

    [Fact]
    public void A_corrupted_byte_is_rejected_or_decodes_to_exactly_those_bytes()
    {
        var bytes = SketchOf(LogNormal(12, 500)).ToBytes();

        for (var position = 0; position < bytes.Length; position++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var corrupted = (byte[])bytes.Clone();
                corrupted[position] ^= (byte)(1 << bit);
                try
                {
                    // Accepted input is canonical: e.g. a flipped low bit of Min that stays in Min's bucket.
                    Assert.Equal(corrupted, LatencySketch.FromBytes(corrupted).ToBytes());
                }
                catch (FormatException)
                {
                }
            }
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-1e-300)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1.0000001e12)]
    [InlineData(double.MaxValue)]
    public void Add_rejects_negative_non_finite_and_too_large_values(double value)
    {
        var sketch = new LatencySketch();

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(value));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(value, 5));
        Assert.Equal(0, sketch.Count);
    }

    [Fact]
    public void Add_rejects_a_negative_count_and_ignores_a_zero_count()
    {
        var sketch = new LatencySketch();

        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(1, -1));
        sketch.Add(1, 0);

        Assert.Equal(new LatencySketch().ToBytes(), sketch.ToBytes());
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity)]
    public void Quantile_rejects_q_outside_zero_to_one_even_when_empty(double q)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencySketch().Quantile(q));
        Assert.Throws<ArgumentOutOfRangeException>(() => SketchOf([1, 2, 3]).Quantile(q));
    }

    [Fact]
    public void Merge_rejects_null_and_a_count_overflow()
    {
        var sketch = new LatencySketch();
        sketch.Add(1, long.MaxValue);

        Assert.Throws<ArgumentNullException>(() => sketch.Merge((LatencySketch)null!));
        Assert.Throws<ArgumentNullException>(() => LatencySketch.Merge((IEnumerable<LatencySketch>)null!));
        Assert.Throws<ArgumentNullException>(() => LatencySketch.Merge([sketch, null!]));
        Assert.Throws<OverflowException>(() => sketch.Add(1));
        Assert.Throws<OverflowException>(() => sketch.Merge(SketchOf([1])));
        Assert.Equal(long.MaxValue, sketch.Count);
        Assert.Equal(1, sketch.Quantile(0.5));
    }

    private static LatencySketch SketchOf(double[] values) => AddAll(new LatencySketch(), values);

    private static LatencySketch AddAll(LatencySketch sketch, params double[][] parts)
    {
        foreach (var value in parts.SelectMany(part => part))
        {
            sketch.Add(value);
        }

        return sketch;
    }

    private static LatencySketch MergeOf(LatencySketch left, LatencySketch right)
    {
        var merged = new LatencySketch();
        merged.Merge(left);
        merged.Merge(right);
        return merged;
    }

    // Three parts with different ranges, so merges grow the bucket array both ways; c holds zeros and tiny values.
    private static (double[] A, double[] B, double[] C) ThreeParts() =>
        (LogNormal(20, 3_000), Pareto(21, 2_000).Select(v => v * 100).ToArray(), [0, 0, 1e-12, 0.003, 0.5, .. LogNormal(22, 1_000).Select(v => v / 1000)]);

    // exp(N(ln 120, 1.2²)) ms: a median of 120 ms and a long right tail.
    private static double[] LogNormal(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return Math.Exp(Math.Log(120) + (1.2 * normal));
        }).ToArray();
    }

    // Pareto(x_m = 20 ms, shape 1.5): heavier tail than log-normal; below 1e12 even for the smallest uniform draw.
    private static double[] Pareto(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => 20 / Math.Pow(1 - random.NextDouble(), 1 / 1.5)).ToArray();
    }

    private static double ExactQuantile(double[] sorted, double q) => sorted[(long)Math.Floor(q * (sorted.Length - 1))];

    private static void AssertWithinOnePercent(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= LatencySketch.RelativeAccuracy * expected, $"{what}: expected {expected:R}, got {actual:R} ({(actual - expected) / expected:P3})");

    private static int IndexOf(double value) => (int)Math.Ceiling(Math.Log(value) / LogGamma);

    // The documented format, written independently of LatencySketch.
    private static byte[] Encode(ulong count, ulong zeroCount, UInt128 sumNanoseconds, double min, double max, params (long Index, ulong Count)[] buckets)
    {
        var bytes = new List<byte> { 1 };
        Varint(bytes, count);
        Varint(bytes, zeroCount);
        Varint(bytes, sumNanoseconds);
        bytes.AddRange(BitConverter.GetBytes(min));
        bytes.AddRange(BitConverter.GetBytes(max));
        Varint(bytes, (ulong)buckets.Length);
        for (var i = 0; i < buckets.Length; i++)
        {
            var index = buckets[i].Index;
            Varint(bytes, i == 0 ? (ulong)((index << 1) ^ (index >> 63)) : (ulong)(index - buckets[i - 1].Index - 1));
            Varint(bytes, buckets[i].Count);
        }

        return [.. bytes];
    }

    private static void Varint(List<byte> bytes, UInt128 value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)((byte)value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }
}
