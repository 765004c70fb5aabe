using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;

namespace Twin.Benchmarks;

/// <summary>
/// What tracing and export cost the process in CPU per chat, which BenchmarkDotNet cannot show: it times the request
/// path, while the OTLP exporter serialises and sends on its own thread. Each mode runs chats one after another
/// through <see cref="BenchmarkApp"/> and reads the process's CPU time (all threads: request path, exporter, GC;
/// the loopback receiver runs in a process of its own, <see cref="SinkProcess"/>, unless <c>--sink in-process</c>) before and after, flushing the exporter after every <c>--batch</c> chats and before the
/// reading, so every span measured was also serialised and sent. Modes: <c>off</c> (no listener, no spans),
/// <c>spans</c> (TracerProvider, no exporter), <c>export</c> (OTLP/HTTP protobuf to <see cref="LoopbackOtlpReceiver"/>).
/// The receiver runs, idle or not, in every mode. Modes alternate within each round so drift on a shared machine
/// hits them alike; the figures are medians over rounds. Run:
/// <c>dotnet run -c Release --project tests/Twin.Benchmarks -- cpu [--rounds 7] [--chats 5000] [--batch 100] [--warmup-rounds 12] [--modes off,spans,export] [--sink process|in-process] [--perf-control FIFO]</c>.
/// </summary>
internal static class ExportCpuMeasurement
{
    private const int WarmupChats = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 7);
        var chats = Option(args, "--chats", 5000);
        var batch = Option(args, "--batch", 100);
        var modes = (OptionText(args, "--modes") ?? "off,spans,export").Split(',', StringSplitOptions.RemoveEmptyEntries);
        // By default the receiver runs in a process of its own, as Langfuse would: its CPU is not the app's.
        await using IOtlpSink receiver = OptionText(args, "--sink") == "in-process"
            ? await LoopbackOtlpReceiver.StartAsync().ConfigureAwait(false)
            : await SinkProcess.StartAsync().ConfigureAwait(false);
        var warmups = Option(args, "--warmup-rounds", 12);
        var results = modes.ToDictionary(m => m, _ => new List<Round>());

        // Unrecorded rounds first, until the JIT is quiet: tiered compilation recompiles hot code on a background
        // thread for tens of thousands of chats (each new app's start-up code postpones tier-up), and that CPU time
        // is start-up cost, not the steady state of a long-running worker.
        for (var round = 0; round < warmups; round++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            var jit = System.Runtime.JitInfo.GetCompilationTime();
            foreach (var mode in modes)
            {
                await MeasureAsync(mode, receiver, chats, batch).ConfigureAwait(false);
            }

            var jitted = System.Runtime.JitInfo.GetCompilationTime() - jit;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up round {round + 1}: {System.Runtime.JitInfo.GetCompiledMethodCount() - compiled} methods compiled in {jitted.TotalMilliseconds:F0} ms"));
            if (round > 0 && jitted < TimeSpan.FromMilliseconds(20 * modes.Length))
            {
                break;
            }
        }

        // For profiling the measured rounds only: `perf record -D -1 --control fifo:FIFO ... -- cpu --perf-control FIFO`.
        if (OptionText(args, "--perf-control") is { } perfControl)
        {
            await File.WriteAllTextAsync(perfControl, "enable\n").ConfigureAwait(false);
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < modes.Length; i++)
            {
                var mode = modes[(i + round) % modes.Length];
                var measured = await MeasureAsync(mode, receiver, chats, batch).ConfigureAwait(false);
                results[mode].Add(measured);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1} {mode,-6} cpu {measured.CpuMicroseconds,7:F1} µs/chat (JIT {measured.JitMicroseconds:F1})  {measured.AllocatedBytes / 1024:F1} KB allocated/chat  request path {measured.WallMicroseconds,6:F1} µs/chat  {measured.Bytes,7:F0} B/chat  {measured.Spans,4:F1} spans/chat  {measured.Requests} requests"));
            }
        }

        Report(results, chats, batch, rounds);
        return 0;
    }

    private static async Task<Round> MeasureAsync(string mode, IOtlpSink receiver, int chats, int batch)
    {
        using var app = mode switch
        {
            "off" => new BenchmarkApp(tracing: false),
            "spans" => new BenchmarkApp(tracing: true),
            "export" => new BenchmarkApp(
                tracing: true,
                new("Langfuse:PublicKey", "pk-lf-benchmark"),
                new("Langfuse:SecretKey", "sk-lf-benchmark"),
                new("Langfuse:BaseUrl", receiver.BaseUrl),
                // Room for one flush batch of spans, so none is dropped (checked below).
                new("Langfuse:MaxQueueSize", (batch * 20).ToString(CultureInfo.InvariantCulture))),
            _ => throw new ArgumentException($"Unknown mode '{mode}': use off, spans or export."),
        };

        await RunChatsAsync(app, WarmupChats, batch).ConfigureAwait(false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await receiver.ResetAsync().ConfigureAwait(false);

        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        var wall = await RunChatsAsync(app, chats, batch).ConfigureAwait(false);
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        var jitUsed = System.Runtime.JitInfo.GetCompilationTime() - jit;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var received = await receiver.StatsAsync().ConfigureAwait(false);

        var round = new Round(
            cpuUsed.TotalMicroseconds / chats,
            jitUsed.TotalMicroseconds / chats,
            (double)allocatedBytes / chats,
            wall.TotalMicroseconds / chats,
            (double)received.Bytes / chats,
            (double)received.Spans / chats,
            received.Requests);
        if (mode == "export" && round.Spans < 10)
        {
            throw new InvalidOperationException($"Only {round.Spans:F2} spans a chat reached the receiver: spans were dropped, the figures would flatter export.");
        }

        return round;
    }

    // Chats one after another (a request path's work), flushing the exporter every `batch` chats; returns the time
    // spent in chats only, not in flushing.
    private static async Task<TimeSpan> RunChatsAsync(BenchmarkApp app, int chats, int batch)
    {
        var inChats = TimeSpan.Zero;
        for (var done = 0; done < chats;)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < batch && done < chats; i++, done++)
            {
                await app.ChatAsync().ConfigureAwait(false);
            }

            inChats += Stopwatch.GetElapsedTime(started);
            app.Tracer?.ForceFlush();
        }

        return inChats;
    }

    private static void Report(Dictionary<string, List<Round>> results, int chats, int batch, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} rounds × {chats} chats per mode after warm-up rounds, exporter flushed every {batch} chats; medians (min–max) over rounds"));
        Console.WriteLine("| mode | CPU µs/chat | of which JIT | allocated KB/chat | request path µs/chat | bytes/chat on the wire | spans/chat | OTLP requests/round |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (mode, list) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {Median(list, r => r.CpuMicroseconds):F1} ({list.Min(r => r.CpuMicroseconds):F1}–{list.Max(r => r.CpuMicroseconds):F1}) | {Median(list, r => r.JitMicroseconds):F1} | {Median(list, r => r.AllocatedBytes) / 1024:F1} | {Median(list, r => r.WallMicroseconds):F1} | {Median(list, r => r.Bytes):F0} | {Median(list, r => r.Spans):F1} | {Median(list, r => r.Requests):F0} |"));
        }

        if (results.TryGetValue("off", out var off))
        {
            foreach (var mode in new[] { "spans", "export" })
            {
                if (results.TryGetValue(mode, out var traced))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{mode} − off: {Median(traced, r => r.CpuMicroseconds) - Median(off, r => r.CpuMicroseconds):F1} µs CPU/chat (minima: {traced.Min(r => r.CpuMicroseconds) - off.Min(r => r.CpuMicroseconds):F1}), {(Median(traced, r => r.AllocatedBytes) - Median(off, r => r.AllocatedBytes)) / 1024:F1} KB allocated/chat, {Median(traced, r => r.WallMicroseconds) - Median(off, r => r.WallMicroseconds):F1} µs request path/chat"));
                }
            }
        }
    }

    private static double Median(List<Round> rounds, Func<Round, double> value)
    {
        var sorted = rounds.Select(value).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private sealed record Round(double CpuMicroseconds, double JitMicroseconds, double AllocatedBytes, double WallMicroseconds, double Bytes, double Spans, long Requests);
}
