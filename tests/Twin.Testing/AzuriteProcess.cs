using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Twin.Testing;

/// <summary>
/// One Azurite from <c>node_modules</c> on loopback ports of its own, owned by the test that started it: it can be
/// stopped and started again on the same ports (to simulate an outage), in memory or with <c>--location</c> (so data
/// survives a restart). Extra accounts (each with its own tables, queues and containers) are declared at start.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>Azurite's well-known development key; every account of a test Azurite uses it.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly string? _location;
    private readonly IReadOnlyList<string> _accounts;
    private readonly List<string> _output = [];
    private Process? _process;

    private AzuritePorts _ports;

    /// <summary>
    /// How the last <see cref="StopAsync"/> went: false when Azurite exited on its own, true when it had to be killed,
    /// so that writes since its last save to <c>--location</c> were lost (a test of persisted data then proves nothing).
    /// </summary>
    public bool KilledAtLastStop { get; private set; }

    /// <summary>How long the last <see cref="StopAsync"/> took, the kill included.</summary>
    public TimeSpan LastStopTook { get; private set; }

    private AzuriteProcess(AzuritePorts ports, string? location, IReadOnlyList<string> accounts)
    {
        _ports = ports;
        _location = location;
        _accounts = accounts;
    }

    public AzuritePorts Ports => _ports;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts Azurite on free loopback ports; <paramref name="location"/> null keeps data in memory.</summary>
    public static async Task<AzuriteProcess> StartAsync(string? location = null, IEnumerable<string>? extraAccounts = null)
    {
        var azurite = new AzuriteProcess(AzuritePorts.Free(), location, [DevelopmentAccount, .. extraAccounts ?? []]);
        // Free ports can be taken by another process between choosing and binding them: choose again then.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await azurite.StartAsync();
                return azurite;
            }
            catch (AzuriteExitedException) when (attempt < 3)
            {
                azurite._ports = AzuritePorts.Free();
            }
        }
    }

    /// <summary>A connection string with explicit endpoints for <paramref name="account"/> on this Azurite's ports.</summary>
    public string ConnectionString(string account = DevelopmentAccount) =>
        $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports.Blob}/{account};" +
        $"QueueEndpoint=http://127.0.0.1:{_ports.Queue}/{account};" +
        $"TableEndpoint=http://127.0.0.1:{_ports.Table}/{account};";

    /// <summary>Starts Azurite (again) on its ports and waits until all three services listen.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Azurite is already running.");
        }

        // AZURITE_EXECUTABLE runs another Azurite build: the export measurement's 100,000-item fill needs a newer one (README "Benchmarks").
        var executable = Environment.GetEnvironmentVariable("AZURITE_EXECUTABLE") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run 'npm ci' in {RepositoryRoot.Path} (scripts/test.sh does).");
        }

        _process?.Dispose();
        _output.Clear();
        _process = Process.Start(StartInfo(executable)) ?? throw new InvalidOperationException("Could not start Azurite.");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await _ports.AllListeningAsync())
        {
            if (_process.HasExited)
            {
                throw new AzuriteExitedException($"Azurite exited at start on ports {_ports}: {string.Join(Environment.NewLine, Output())}");
            }

            if (DateTime.UtcNow > deadline)
            {
                await StopAsync();
                throw new TimeoutException($"Azurite did not listen on {_ports} within {StartTimeout.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Stops Azurite gracefully (SIGTERM, so data in <c>--location</c> is saved) and waits until it has exited; kills
    /// it if it does not exit in time.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        KilledAtLastStop = false;
        var clock = Stopwatch.StartNew();
        // Closing stdin makes the wrapper shell send Azurite SIGTERM (see StartInfo).
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KilledAtLastStop = true;
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            LastStopTook = clock.Elapsed;
        }
    }

    /// <summary>For start-up paths that cannot await (process exit).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }

    private ProcessStartInfo StartInfo(string executable)
    {
        // Azurite is started through sh, which kills it when stdin closes: if the test process dies without
        // disposing it, Azurite does not outlive it and hold its ports.
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec 3<&0; \"$0\" \"$@\" </dev/null & child=$!; { cat <&3 >/dev/null; kill $child 2>/dev/null; } & wait $child");
        start.ArgumentList.Add(executable);
        string[] args =
        [
            "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", _ports.Blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", _ports.Queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", _ports.Table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (_location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_location);
        }

        start.Environment["AZURITE_ACCOUNTS"] = string.Join(';', _accounts.Select(a => $"{a}:{AccountKey}"));
        return start;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private List<string> Output()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    private sealed class AzuriteExitedException(string message) : Exception(message);
}

/// <summary>The Blob, Queue and Table ports of one Azurite.</summary>
public readonly record struct AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Three loopback ports nothing listens on now (held together while chosen, so they differ).</summary>
    public static AzuritePorts Free()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
            return new AzuritePorts(ports[0], ports[1], ports[2]);
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    public async Task<bool> AllListeningAsync()
    {
        foreach (var port in new[] { Blob, Queue, Table })
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"127.0.0.1:{Blob},{Queue},{Table}";
}
