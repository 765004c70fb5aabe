using System.Net;
using System.Net.Sockets;

namespace Twin.Observability.Chat;

/// <summary>
/// The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address by its /64 prefix (one
/// subscriber commonly holds a whole /64, so per-address keys would be free to reset), "unknown" when there is none.
/// </summary>
public static class ClientAddressKey
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
