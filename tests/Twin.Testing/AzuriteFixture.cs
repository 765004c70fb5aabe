using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Twin.Testing;

/// <summary>
/// Real storage for tests: Azurite on 127.0.0.1:10000-10002. Uses the one already listening (the test script or a
/// developer's <c>scripts/azurite.sh</c>); otherwise starts Azurite from <c>node_modules</c> in memory and stops it
/// after the last fixture of the test process is disposed. It never stops an Azurite it did not start.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private static readonly int[] Ports = [10000, 10001, 10002];

    // Several fixtures (collections) of one test process share one Azurite: counted, so the last one out stops it.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static int _users;
    private static Process? _started;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _users++;
            if (_started is null && !await AllListeningAsync())
            {
                await StartAsync();
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task StartAsync()
    {
        var azurite = System.IO.Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run 'npm ci' in {RepositoryRoot.Path} (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1" })
        {
            start.ArgumentList.Add(arg);
        }

        _started = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        _started.OutputDataReceived += (_, _) => { };
        _started.ErrorDataReceived += (_, _) => { };
        _started.BeginOutputReadLine();
        _started.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await AllListeningAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Azurite did not listen on 127.0.0.1:10000-10002 within 30 s.");
            }

            await Task.Delay(100);
        }

        if (_started.HasExited)
        {
            // Another test run started Azurite at the same moment and won the ports; use that one, own nothing.
            _started = null;
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users > 0 || _started is null)
            {
                return;
            }

            if (!_started.HasExited)
            {
                _started.Kill(entireProcessTree: true);
                await _started.WaitForExitAsync();
            }

            _started.Dispose();
            _started = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<bool> AllListeningAsync()
    {
        foreach (var port in Ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
