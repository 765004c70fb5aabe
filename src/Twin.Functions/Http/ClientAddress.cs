using System.Net;
using Microsoft.AspNetCore.Http;

namespace Twin.Functions.Http;

/// <summary>
/// The client's address for rate limiting. Each trusted proxy appends the address it received the request from to
/// <c>X-Forwarded-For</c>, so with N trusted hops the client is the N-th entry from the right; entries further left
/// were written by the caller and are ignored. With no trusted hops, or no usable header, it is the connection's peer.
/// </summary>
public static class ClientAddress
{
    public static IPAddress? Of(HttpRequest request, int trustedProxyHops)
    {
        var peer = request.HttpContext.Connection.RemoteIpAddress;
        if (trustedProxyHops <= 0)
        {
            return peer;
        }

        var entries = request.Headers["X-Forwarded-For"]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        if (entries.Count == 0)
        {
            return peer;
        }

        var index = Math.Max(0, entries.Count - trustedProxyHops);
        return Parse(entries[index]) ?? peer;
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
