using System.Net;
using Microsoft.AspNetCore.Http;

namespace Twin.Functions.Http;

/// <summary>
/// The client's address for rate limiting. Each trusted proxy appends the address it received the request from to
/// <c>X-Forwarded-For</c>, so with N trusted hops the client is the N-th of <see cref="ForwardedFor.Addresses"/> from
/// the right; entries further left were written by the caller and are ignored. With at most one trusted hop, no usable
/// entry, or fewer addresses than trusted hops, it is the connection's address.
/// </summary>
public static class ClientAddress
{
    public static IPAddress? Of(HttpRequest request, int trustedProxyHops)
    {
        var peer = request.HttpContext.Connection.RemoteIpAddress;
        var addresses = ForwardedFor.Addresses(request);

        // Fewer addresses than hops means a proxy counted as trusted did not append: the count is too high, or the
        // request bypassed a proxy. Then the leftmost entry may be the caller's own, so the one address nobody can
        // write, the connection's, is the key: callers share it, which shows, and none chooses it.
        if (trustedProxyHops <= 1 || addresses.Count < trustedProxyHops)
        {
            return peer;
        }

        return Parse(addresses[^trustedProxyHops]) ?? peer;
    }

    /// <summary>An address with or without a port, as proxies write them: <c>203.0.113.5</c>, <c>203.0.113.5:443</c>, <c>[2001:db8::1]:443</c>, <c>2001:db8::1</c>.</summary>
    public static IPAddress? Parse(string entry)
    {
        if (IPAddress.TryParse(entry, out var plain))
        {
            return plain;
        }

        return IPEndPoint.TryParse(entry, out var endpoint) ? endpoint.Address : null;
    }
}
