using System.Net;
using Microsoft.AspNetCore.Http;

namespace Twin.Functions.Http;

/// <summary>
/// The addresses a request came through, as the app sees them: the <c>X-Forwarded-For</c> entries, left (written
/// first) to right (appended last), then the address the request arrived from. The worker's ASP.NET Core integration
/// (<c>UseForwardedHeaders</c>, trusting its loopback peer, the Functions host) has already taken the entry the host
/// appended off the end of the header and made it the connection's address, so the list is the header as it left the
/// host: one address per proxy (front end, host, …) plus whatever the caller wrote first.
/// </summary>
public static class ForwardedFor
{
    public const string Header = "X-Forwarded-For";

    public static IReadOnlyList<string> Addresses(HttpRequest request)
    {
        var addresses = request.Headers[Header]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        if (request.HttpContext.Connection.RemoteIpAddress is IPAddress peer)
        {
            addresses.Add(peer.ToString());
        }

        return addresses;
    }
}
