using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Twin.Observability.Chat;

namespace Twin.Benchmarks;

/// <summary>
/// What a flood of refused chats costs (issue 23, defect 1): <c>--requests</c> widget chats from one client address
/// against one twin, with the address limit at its default (30 a minute), through the real <see cref="ChatService"/>
/// with tracing exported over OTLP to <see cref="LoopbackOtlpReceiver"/> (in process) and in-memory storage ports.
/// Reported: the requests served and refused, ledger writes (rows written on the request path plus the counted
/// refusal rows a flush writes), twin reads (each a Table read in the app), spans exported, and the process's CPU time
/// per refused request (all threads: request path, exporter, GC), after a warm-up flood from another address. Run:
/// <c>dotnet run -c Release --project tests/Twin.Benchmarks -- refusals [--requests 10000] [--warmup 2000]</c>.
/// </summary>
internal static class RefusalMeasurement
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Option(args, "--requests", 10_000);
        var warmup = Option(args, "--warmup", 2_000);
        await using var receiver = await LoopbackOtlpReceiver.StartAsync().ConfigureAwait(false);
        BenchmarkApp Start() => new(
            tracing: true,
            new("Langfuse:PublicKey", "pk-lf-benchmark"),
            new("Langfuse:SecretKey", "sk-lf-benchmark"),
            new("Langfuse:BaseUrl", receiver.BaseUrl),
            new("Chat:RateLimits:TwinPerMinute", "10000000"));

        // A served chat's CPU, for comparison, in an app of its own: disposing it flushes its spans before the count.
        TimeSpan servedCpu;
        using (var comparison = Start())
        {
            await ServedChatCpuAsync(comparison, 500).ConfigureAwait(false);
            servedCpu = await ServedChatCpuAsync(comparison, 500).ConfigureAwait(false);
        }

        using var app = Start();
        await FloodAsync(app, IPAddress.Parse("198.51.100.1"), warmup).ConfigureAwait(false);
        app.Tracer!.ForceFlush();
        await receiver.ResetAsync().ConfigureAwait(false);
        var (ledgerBefore, readsBefore) = (app.Stores.LedgerRows, app.Stores.TwinReads);
        var refusals = app.Services.GetRequiredService<ChatRefusals>();
        // The warm-up's refusals are counted in the same key (the address is not part of it): written, and subtracted.
        var warmupDue = refusals.Due(all: true);
        var warmupCounted = warmupDue.Sum(d => d.Row.Count);
        warmupDue.ToList().ForEach(due => due.Written());
        GC.Collect();

        var cpu = Environment.CpuUsage.TotalTime;
        var (served, refused) = await FloodAsync(app, IPAddress.Parse("203.0.113.1"), requests).ConfigureAwait(false);
        app.Tracer.ForceFlush();
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;

        var inline = app.Stores.LedgerRows - ledgerBefore;
        var counted = refusals.Due(all: true);
        var refusedCpu = (cpuUsed - (servedCpu * served)) / Math.Max(1, refused);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {requests} widget chats from one address against one twin (address limit 30 a minute)
              served                      {served}
              refused (429)               {refused}
              ledger writes               {inline + counted.Count} ({inline} on the request path, {counted.Count} counted rows standing for {counted.Sum(c => c.Row.Count) - warmupCounted} of these refusals)
              twin reads                  {app.Stores.TwinReads - readsBefore}
              spans exported              {receiver.Spans}
              CPU per refused request     {refusedCpu.TotalMicroseconds:F1} µs ({cpuUsed.TotalMicroseconds / requests:F1} µs per request with the served ones; a served user chat {servedCpu.TotalMicroseconds:F1} µs)
            """));
        return 0;
    }

    // CPU of one served chat (the user channel, whose limit the benchmark app sets out of reach), all threads.
    private static async Task<TimeSpan> ServedChatCpuAsync(BenchmarkApp app, int chats)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < chats; i++)
        {
            await app.ChatAsync().ConfigureAwait(false);
        }

        app.Tracer!.ForceFlush();
        return (Environment.CpuUsage.TotalTime - cpu) / chats;
    }

    private static async Task<(int Served, int Refused)> FloodAsync(BenchmarkApp app, IPAddress address, int requests)
    {
        var (served, refused) = (0, 0);
        for (var i = 0; i < requests; i++)
        {
            try
            {
                await app.WidgetChatAsync(address).ConfigureAwait(false);
                served++;
            }
            catch (ChatFailedException ex) when (ex.ErrorType == ChatErrorTypes.RateLimited)
            {
                refused++;
            }
        }

        return (served, refused);
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
