namespace Twin.Observability.Datasets.Export.Formats;

/// <summary>The bytes around the JSON objects of a file: JSON Lines end every object with a newline, a JSON array separates them.</summary>
internal sealed class JsonFraming
{
    public static readonly JsonFraming Lines = new([], [], "\n"u8.ToArray(), []);

    /// <summary>Azure OpenAI rejects a training file without the UTF-8 byte order mark.</summary>
    public static readonly JsonFraming LinesWithBom = new([0xEF, 0xBB, 0xBF], [], "\n"u8.ToArray(), []);

    public static readonly JsonFraming OneArray = new("["u8.ToArray(), ",\n"u8.ToArray(), [], "]"u8.ToArray());

    private JsonFraming(byte[] start, byte[] between, byte[] after, byte[] end)
    {
        Start = start;
        Between = between;
        After = after;
        End = end;
    }

    /// <summary>Written once, before the first object (or before <see cref="End"/> of a file without any).</summary>
    public ReadOnlyMemory<byte> Start { get; }

    public ReadOnlyMemory<byte> Between { get; }

    public ReadOnlyMemory<byte> After { get; }

    public ReadOnlyMemory<byte> End { get; }
}
