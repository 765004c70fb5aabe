using System.Buffers;
using System.Buffers.Binary;

namespace Twin.Observability.Metrics;

// The serialised form of a sketch (the class remarks define it): writing, and reading with every field checked.
public sealed partial class LatencySketch
{
    /// <summary>The compact serialised form (see the remarks); equal sketches give identical bytes.</summary>
    public byte[] ToBytes()
    {
        var counts = _counts.AsSpan();
        var first = counts.IndexOfAnyExcept(0L);
        var used = first < 0 ? [] : counts[first..(counts.LastIndexOfAnyExcept(0L) + 1)];
        var buffer = ArrayPool<byte>.Shared.Rent(MaxHeaderBytes + (used.Length * MaxBucketBytes));
        try
        {
            var span = buffer.AsSpan();
            var position = 0;
            span[position++] = FormatVersion;
            WriteVarint(span, ref position, (ulong)_count);
            if (_count > 0)
            {
                WriteVarint(span, ref position, (ulong)_zeroCount);
                WriteVarint(span, ref position, (UInt128)_sumNanoseconds);
                BinaryPrimitives.WriteDoubleLittleEndian(span[position..], _min);
                position += sizeof(double);
                BinaryPrimitives.WriteDoubleLittleEndian(span[position..], _max);
                position += sizeof(double);
                WriteVarint(span, ref position, (ulong)(used.Length - used.Count(0L)));
                var previous = 0;
                for (var i = 0; i < used.Length; i++)
                {
                    if (used[i] == 0)
                    {
                        continue;
                    }

                    var index = _offset + first + i;
                    WriteVarint(span, ref position, i == 0 ? ZigZag(index) : (ulong)(index - previous - 1));
                    WriteVarint(span, ref position, (ulong)used[i]);
                    previous = index;
                }
            }

            return span[..position].ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the form written by <see cref="ToBytes"/>; throws <see cref="FormatException"/> if <paramref name="data"/>
    /// is truncated, of an unknown version, or inconsistent.
    /// </summary>
    public static LatencySketch FromBytes(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        if (data.IsEmpty)
        {
            throw Malformed("no data");
        }

        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new FormatException($"Unknown LatencySketch format version {version} (this code reads version {FormatVersion}).");
        }

        var sketch = new LatencySketch();
        var count = reader.ReadCount(long.MaxValue, "Count");
        if (count == 0)
        {
            reader.EnsureEnd();
            return sketch;
        }

        var zeroCount = reader.ReadCount(count, "the zero bucket's count");
        var sum = reader.ReadVarint128();
        var min = reader.ReadDouble();
        var max = reader.ReadDouble();
        if (!(min >= 0 && min <= max && max <= MaxValue) || double.IsNegative(min))
        {
            throw Malformed("Min and Max must satisfy 0 ≤ Min ≤ Max ≤ MaxValue");
        }

        // Rounding to nanoseconds is monotonic, so every value's share of the Sum lies between those of Min and Max.
        if (sum < (UInt128)(ulong)count * (ulong)Math.Round(min * NanosecondsPerMillisecond) || sum > (UInt128)(ulong)count * (ulong)Math.Round(max * NanosecondsPerMillisecond))
        {
            throw Malformed("Sum is outside [Count·Min, Count·Max]");
        }

        if ((zeroCount > 0) != (min < MinIndexableValue))
        {
            throw Malformed("Min disagrees with the zero bucket");
        }

        var buckets = reader.ReadCount(count, "the number of buckets");
        if ((buckets > 0) != (max >= MinIndexableValue))
        {
            throw Malformed("Max disagrees with the buckets");
        }

        var bucketTotal = 0L;
        if (buckets > 0)
        {
            // Buckets ascend and the last holds Max: that bounds the range before anything is allocated.
            var lastIndex = IndexOf(max);
            var index = reader.ReadZigZag();
            if (index < MinIndex || index > lastIndex || (zeroCount == 0 && index != IndexOf(min)))
            {
                throw Malformed("the first bucket disagrees with Min or Max");
            }

            sketch._offset = (int)index;
            sketch._counts = new long[lastIndex - sketch._offset + 1];
            for (var b = 0L; b < buckets; b++)
            {
                if (b > 0)
                {
                    var gap = reader.ReadVarint64();
                    if (gap >= (ulong)(lastIndex - index))
                    {
                        throw Malformed("a bucket lies beyond Max");
                    }

                    index += (long)gap + 1;
                }

                var bucketCount = reader.ReadCount(count - zeroCount - bucketTotal, "a bucket's count");
                if (bucketCount == 0)
                {
                    throw Malformed("a bucket is empty");
                }

                sketch._counts[index - sketch._offset] = bucketCount;
                bucketTotal += bucketCount;
            }

            if (index != lastIndex)
            {
                throw Malformed("the last bucket disagrees with Max");
            }
        }

        if (zeroCount + bucketTotal != count)
        {
            throw Malformed("the bucket counts do not add up to Count");
        }

        reader.EnsureEnd();
        sketch._count = count;
        sketch._zeroCount = zeroCount;
        sketch._sumNanoseconds = (Int128)sum;
        sketch._min = min;
        sketch._max = max;
        return sketch;
    }

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static FormatException Malformed(string reason) => new($"Malformed LatencySketch data: {reason}.");

    private static void WriteVarint(Span<byte> buffer, ref int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
    }

    private static void WriteVarint(Span<byte> buffer, ref int position, UInt128 value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)((byte)value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
    }

    // Every read checks the length first, so truncated input is a FormatException and never an IndexOutOfRangeException.
    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _position;

        public Reader(ReadOnlySpan<byte> data) => _data = data;

        public byte ReadByte() => _position < _data.Length ? _data[_position++] : throw Malformed("the data is truncated");

        public double ReadDouble()
        {
            if (_data.Length - _position < sizeof(double))
            {
                throw Malformed("the data is truncated");
            }

            var value = BinaryPrimitives.ReadDoubleLittleEndian(_data.Slice(_position, sizeof(double)));
            _position += sizeof(double);
            return value;
        }

        public ulong ReadVarint64()
        {
            var value = 0UL;
            for (var shift = 0; ; shift += 7)
            {
                var b = ReadByte();
                CheckVarintByte(b, shift, 64);
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public UInt128 ReadVarint128()
        {
            var value = UInt128.Zero;
            for (var shift = 0; ; shift += 7)
            {
                var b = ReadByte();
                CheckVarintByte(b, shift, 128);
                value |= (UInt128)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public long ReadCount(long max, string what)
        {
            var value = ReadVarint64();
            return value <= (ulong)max ? (long)value : throw Malformed($"{what} is too large");
        }

        public long ReadZigZag()
        {
            var value = ReadVarint64();
            return (long)(value >> 1) ^ -(long)(value & 1);
        }

        public readonly void EnsureEnd()
        {
            if (_position != _data.Length)
            {
                throw Malformed("unexpected bytes after the end");
            }
        }

        // The byte at this shift must not carry bits beyond the width, and a final 0 byte after the first is an
        // overlong encoding: rejected so that every sketch has exactly one serialised form.
        private static void CheckVarintByte(byte b, int shift, int bits)
        {
            if (shift > 0 && b == 0)
            {
                throw Malformed("a varint is not minimally encoded");
            }

            if (shift + 7 > bits && b >> (bits - shift) != 0)
            {
                throw Malformed($"a varint overflows {bits} bits");
            }
        }
    }
}
