using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Twin.Observability.Security.Outbound;

/// <summary>
/// Reads a URL host as an IP literal the way resolvers read it, so no spelling of an address passes for a name.
/// IPv4 follows <c>inet_aton</c>: one to four parts, each decimal, octal (leading <c>0</c>) or hex (<c>0x</c>), the last
/// part filling the remaining bytes — <c>2130706433</c>, <c>0x7f000001</c>, <c>0177.0.0.1</c>, <c>127.1</c> and
/// <c>0x7f.1</c> are all 127.0.0.1. IPv6 may come bracketed and with a zone id (ignored: the address decides).
/// </summary>
public static class HostLiteral
{
    public static bool TryParse(string? host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        var span = host.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }

        return span.Contains(':') ? TryParseV6(span, out address) : TryParseV4(span, out address);
    }

    private static bool TryParseV6(ReadOnlySpan<char> span, out IPAddress? address)
    {
        address = null;
        var zone = span.IndexOf('%');
        if (zone >= 0)
        {
            span = span[..zone];
        }

        if (IPAddress.TryParse(span, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Without the scope id: equal addresses compare equal and print without an interface name.
            address = new IPAddress(parsed.GetAddressBytes());
            return true;
        }

        return false;
    }

    private static bool TryParseV4(ReadOnlySpan<char> span, out IPAddress? address)
    {
        address = null;
        // "127.0.0.1." is the same literal to some resolvers; reading it as one only ever refuses more.
        if (span.Length > 1 && span[^1] == '.')
        {
            span = span[..^1];
        }

        Span<uint> parts = stackalloc uint[4];
        var count = 0;
        foreach (var range in span.Split('.'))
        {
            if (count == 4 || !TryParsePart(span[range], out parts[count]))
            {
                return false;
            }

            count++;
        }

        // Every part but the last is one byte; the last fills the bytes that remain (32, 24, 16 or 8 bits).
        uint value = 0;
        for (var i = 0; i < count - 1; i++)
        {
            if (parts[i] > 0xff)
            {
                return false;
            }

            value |= parts[i] << (24 - (8 * i));
        }

        var lastBits = 32 - (8 * (count - 1));
        var last = parts[count - 1];
        if (lastBits < 32 && last >= 1u << lastBits)
        {
            return false;
        }

        value |= last;
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, out uint value)
    {
        value = 0;
        var radix = 10u;
        if (part.Length > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X'))
        {
            radix = 16;
            part = part[2..];
        }
        else if (part.Length > 1 && part[0] == '0')
        {
            radix = 8;
            part = part[1..];
        }

        if (part.IsEmpty)
        {
            return false;
        }

        ulong accumulated = 0;
        foreach (var c in part)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => (uint)(c - '0'),
                >= 'a' and <= 'f' => (uint)(c - 'a' + 10),
                >= 'A' and <= 'F' => (uint)(c - 'A' + 10),
                _ => uint.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            accumulated = (accumulated * radix) + digit;
            if (accumulated > uint.MaxValue)
            {
                return false;
            }
        }

        value = (uint)accumulated;
        return true;
    }
}
