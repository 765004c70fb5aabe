using System.Diagnostics;
using System.Globalization;

namespace Twin.Benchmarks;

/// <summary>
/// The loopback receiver in a process of its own (<c>Twin.Benchmarks receive</c>), so the measuring process's CPU time
/// holds the app's export work only, as when Langfuse runs elsewhere, and not the receiver's parsing of what it sent.
/// The child prints its address and runs until its standard input closes.
/// </summary>
internal sealed class SinkProcess : IOtlpSink
{
    private readonly Process _process;
    private readonly HttpClient _control;

    private SinkProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        _control = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public static async Task<SinkProcess> StartAsync()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run as this process was run: `dotnet Twin.Benchmarks.dll` or the apphost.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SinkProcess).Assembly.Location);
        }

        start.ArgumentList.Add("receive");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The sink process did not start.");
        var line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false);
        return line is not null && line.StartsWith("listening ", StringComparison.Ordinal)
            ? new SinkProcess(process, line["listening ".Length..])
            : throw new InvalidOperationException($"The sink process said '{line}' instead of its address.");
    }

    /// <summary>The child's side: serve until the parent closes standard input.</summary>
    public static async Task<int> ServeAsync()
    {
        await using var receiver = await LoopbackOtlpReceiver.StartAsync().ConfigureAwait(false);
        Console.WriteLine("listening " + receiver.BaseUrl);
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }

    public async Task ResetAsync() => (await _control.PostAsync(new Uri("/reset", UriKind.Relative), null).ConfigureAwait(false)).EnsureSuccessStatusCode();

    public async Task<OtlpSinkStats> StatsAsync()
    {
        var parts = (await _control.GetStringAsync(new Uri("/stats", UriKind.Relative)).ConfigureAwait(false)).Split(' ');
        return new OtlpSinkStats(
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            long.Parse(parts[1], CultureInfo.InvariantCulture),
            long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
