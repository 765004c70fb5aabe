using System.Net;

namespace Twin.Observability.Security.Outbound;

/// <summary>Resolves a host name to its addresses; a seam so tests can play a DNS server that changes its answer.</summary>
public interface IHostAddressResolver
{
    /// <summary>The addresses of <paramref name="host"/>; throws <see cref="System.Net.Sockets.SocketException"/> when it does not resolve.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
