using System.Net.Sockets;

namespace Twin.LocalHost.Worker;

/// <summary>
/// The worker answers the handshake and loads its functions before its own web host has bound the HTTP port it
/// announced, so a request forwarded at once can be refused. The host counts the worker ready only once the port
/// accepts connections.
/// </summary>
public static class WorkerHttpPort
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static async Task WaitUntilListeningAsync(Uri httpUri, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(httpUri.Host, httpUri.Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TimedOut)
            {
                await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
