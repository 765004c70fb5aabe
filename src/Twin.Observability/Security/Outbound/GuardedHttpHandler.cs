using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Twin.Observability.Security.Outbound;

/// <summary>
/// The primary handler for calls to user-supplied URLs. Its connect callback resolves the host itself, checks every
/// address with <see cref="OutboundUrlPolicy"/> and connects only to an address it checked, so a name that resolves
/// to a private address at call time (DNS rebinding) never gets a connection, whatever it resolved to when saved.
/// </summary>
public static class GuardedHttpHandler
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connections are replaced this often, so a pooled connection does not outlive a DNS change for long.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    public static SocketsHttpHandler Create(OutboundUrlPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new SocketsHttpHandler
        {
            // A redirect is a second, unchecked URL chosen by the remote side; the caller sees the 3xx instead.
            AllowAutoRedirect = false,
            // A proxy would resolve and connect on our behalf, past the callback's checks.
            UseProxy = false,
            // Webhooks of different users must not share cookies.
            UseCookies = false,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionLifetime = PooledConnectionLifetime,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
        };
    }

    internal static async ValueTask<Stream> ConnectAsync(OutboundUrlPolicy policy, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var addresses = await policy.CheckedAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                // Every address passed the check, so the next one is as safe to try as the first.
                socket.Dispose();
                lastFailure = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        // Rethrown with the stack of the connect that failed; CheckedAddressesAsync never returns an empty list.
        ExceptionDispatchInfo.Throw(lastFailure ?? new SocketException((int)SocketError.HostNotFound));
        throw new UnreachableException();
    }
}
