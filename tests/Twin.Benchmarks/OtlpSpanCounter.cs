namespace Twin.Benchmarks;

/// <summary>
/// Counts the spans of an OTLP <c>ExportTraceServiceRequest</c> by walking the protobuf wire format (resource_spans = 1
/// → scope_spans = 2 → spans = 2) without decoding them, so the receiver costs the measurement as little as it can.
/// </summary>
internal static class OtlpSpanCounter
{
    public static int Count(ReadOnlySpan<byte> request)
    {
        var spans = 0;
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(request.Slice(resourceSpans.Start, resourceSpans.Length), 2))
            {
                spans += Fields(request.Slice(resourceSpans.Start, resourceSpans.Length).Slice(scopeSpans.Start, scopeSpans.Length), 2).Count;
            }
        }

        return spans;
    }

    // The length-delimited occurrences of field `number` in one message, as (start, length) within it.
    private static List<(int Start, int Length)> Fields(ReadOnlySpan<byte> message, int number)
    {
        var found = new List<(int, int)>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    Varint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    if (field == number)
                    {
                        found.Add((position, length));
                    }

                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7}.");
            }
        }

        return found;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
