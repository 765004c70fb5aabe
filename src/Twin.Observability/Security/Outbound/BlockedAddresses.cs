using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Twin.Observability.Security.Outbound;

/// <summary>
/// The addresses a user-supplied URL may not reach: everything that is not plainly a public unicast address. IPv6
/// forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the IPv4 address they carry, since
/// that is where the packets end up; Teredo is refused outright because its embedded server and client cannot be
/// judged from the address alone.
/// </summary>
public static class BlockedAddresses
{
    public const string Unspecified = "unspecified";
    public const string Loopback = "loopback";
    public const string Private = "private";
    public const string LinkLocal = "link-local";
    public const string SiteLocal = "site-local";
    public const string CarrierGradeNat = "carrier-grade NAT";
    public const string Metadata = "metadata";
    public const string Multicast = "multicast";
    public const string Broadcast = "broadcast";
    public const string Reserved = "reserved";
    public const string Teredo = "Teredo";
    public const string Discard = "discard";

    // Most specific first: the metadata and broadcast addresses sit inside wider ranges with a vaguer name.
    private static readonly (uint Network, int PrefixLength, string Reason)[] V4Ranges =
    [
        (V4(169, 254, 169, 254), 32, Metadata),
        // Azure's platform address (WireServer, platform DNS, IMDS proxying): public-looking, but the host's own.
        (V4(168, 63, 129, 16), 32, Metadata),
        (V4(255, 255, 255, 255), 32, Broadcast),
        (V4(0, 0, 0, 0), 8, Unspecified),
        (V4(10, 0, 0, 0), 8, Private),
        (V4(100, 64, 0, 0), 10, CarrierGradeNat),
        (V4(127, 0, 0, 0), 8, Loopback),
        (V4(169, 254, 0, 0), 16, LinkLocal),
        (V4(172, 16, 0, 0), 12, Private),
        (V4(192, 0, 0, 0), 24, Reserved),
        (V4(192, 168, 0, 0), 16, Private),
        (V4(198, 18, 0, 0), 15, Reserved),
        (V4(224, 0, 0, 0), 4, Multicast),
        (V4(240, 0, 0, 0), 4, Reserved),
    ];

    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    public static bool IsBlocked(IPAddress address) => Reason(address) is not null;

    public static bool IsBlocked(IPAddress address, [NotNullWhen(true)] out string? reason)
    {
        reason = Reason(address);
        return reason is not null;
    }

    /// <summary>Why <paramref name="address"/> is blocked (one of the constants of this class), or null when it may be reached.</summary>
    public static string? Reason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ReasonV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ReasonV6(address.GetAddressBytes()),
            // Nothing else can be connected to over TCP/IP; refuse rather than guess.
            _ => Reserved,
        };
    }

    /// <summary>"a loopback address", "an unspecified address": the reason as a message names it.</summary>
    public static string Describe(string reason) =>
        $"{("aeiou".Contains(char.ToLowerInvariant(reason.FirstOrDefault('x')), StringComparison.Ordinal) ? "an" : "a")} {reason} address";

    private static string? ReasonV4(ReadOnlySpan<byte> bytes)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        foreach (var (network, prefixLength, reason) in V4Ranges)
        {
            var mask = uint.MaxValue << (32 - prefixLength);
            if ((value & mask) == network)
            {
                return reason;
            }
        }

        return null;
    }

    private static string? ReasonV6(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.IndexOfAnyExcept((byte)0) < 0)
        {
            return Unspecified;
        }

        if (span[..15].IndexOfAnyExcept((byte)0) < 0 && span[15] == 1)
        {
            return Loopback;
        }

        if (AwsMetadataV6.GetAddressBytes().AsSpan().SequenceEqual(span))
        {
            return Metadata;
        }

        // ::ffff:0:0/96 IPv4-mapped, and ::/96 IPv4-compatible (deprecated, still routed as IPv4 by some stacks).
        if (span[..10].IndexOfAnyExcept((byte)0) < 0 && ((span[10] == 0xff && span[11] == 0xff) || (span[10] == 0 && span[11] == 0)))
        {
            return ReasonV4(span[12..]);
        }

        // 64:ff9b::/96, the well-known NAT64 prefix: the gateway connects to the embedded IPv4 address.
        if (span[0] == 0x00 && span[1] == 0x64 && span[2] == 0xff && span[3] == 0x9b && span[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return ReasonV4(span[12..]);
        }

        // 64:ff9b:1::/48, local-use NAT64 (RFC 8215): its embedding is the network's choice, so it cannot be judged.
        if (span[0] == 0x00 && span[1] == 0x64 && span[2] == 0xff && span[3] == 0x9b && span[4] == 0x00 && span[5] == 0x01)
        {
            return Reserved;
        }

        // 2002::/16 6to4: bits 16-47 are the IPv4 address of the relay that gets the packets.
        if (span[0] == 0x20 && span[1] == 0x02)
        {
            return ReasonV4(span[2..6]);
        }

        if (span[0] == 0x20 && span[1] == 0x01 && span[2] == 0x00 && span[3] == 0x00)
        {
            return Teredo;
        }

        if (span[0] == 0x01 && span[1] == 0x00 && span[2..8].IndexOfAnyExcept((byte)0) < 0)
        {
            return Discard;
        }

        if ((span[0] & 0xfe) == 0xfc)
        {
            return Private;
        }

        if (span[0] == 0xfe && (span[1] & 0xc0) == 0x80)
        {
            return LinkLocal;
        }

        if (span[0] == 0xfe && (span[1] & 0xc0) == 0xc0)
        {
            return SiteLocal;
        }

        if (span[0] == 0xff)
        {
            return Multicast;
        }

        return null;
    }

    private static uint V4(byte a, byte b, byte c, byte d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;
}
