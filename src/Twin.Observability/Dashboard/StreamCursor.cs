using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Twin.Observability.Dashboard;

/// <summary>
/// Where a dashboard stream stands, sent as each event's <c>id</c> and given back as <c>Last-Event-ID</c>: every item
/// (ledger row, alert transition) at or before <see cref="Floor"/> counts as sent, and so does every later one whose
/// key's hash is in <see cref="Seen"/>. Rows are stamped before they are written, so a row can appear behind one already
/// sent; keeping a window of hashes instead of a single watermark lets such a row still be sent, once.
/// Text form: <c>v1.{floor UTC ticks}.{16 hex digits per hash}</c>, ASCII with no line breaks, as an event id must be.
/// </summary>
public sealed record StreamCursor(DateTimeOffset Floor, IReadOnlySet<string> Seen)
{
    private const string Version = "v1";

    private const int HashLength = 16;

    /// <summary>The hash an item's key is remembered by: short enough that a cursor of hundreds stays a few kilobytes.</summary>
    public static string HashOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return BinaryPrimitives.ReadUInt64BigEndian(XxHash3.Hash(Encoding.UTF8.GetBytes(key))).ToString("x16", CultureInfo.InvariantCulture);
    }

    public string Encode()
    {
        var text = new StringBuilder(Version).Append('.').Append(Floor.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('.');
        foreach (var hash in Seen.Order(StringComparer.Ordinal))
        {
            text.Append(hash);
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads a cursor a client sent back; null when absent or not one of ours, and the stream then starts afresh
    /// with a snapshot rather than refusing a browser that only wants to reconnect.
    /// </summary>
    public static StreamCursor? TryDecode(string? text)
    {
        var parts = text?.Trim().Split('.');
        if (parts is not [Version, var ticksText, var hashes]
            || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || hashes.Length % HashLength != 0
            || !hashes.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hashes.Length; i += HashLength)
        {
            seen.Add(hashes.Substring(i, HashLength));
        }

        return new StreamCursor(new DateTimeOffset(ticks, TimeSpan.Zero), seen);
    }
}
