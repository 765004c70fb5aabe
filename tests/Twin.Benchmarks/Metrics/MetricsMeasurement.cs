using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Metrics;
using Twin.Testing;

namespace Twin.Benchmarks.Metrics;

/// <summary>
/// What the metrics rollups cost and what they buy, on a private in-memory Azurite: fills the ledger with a
/// synthetic month (<see cref="SyntheticLedger"/>), catches the rollups up in one <see cref="MetricsRollup.RunAsync"/>,
/// then times the <c>/api/metrics/latency</c> work (<see cref="MetricsQuery.QueryAsync"/> and
/// <see cref="MetricsReports.Latency"/>) over the whole range, and for contrast reads one day of raw ledger rows.
/// BenchmarkDotNet does not fit: each step is seconds to minutes of I/O against state built once. Run:
/// <c>dotnet run -c Release --project tests/Twin.Benchmarks -- metrics [--rows 1000000] [--days 30] [--runs 20] [--warmups 3] [--raw-runs 3] [--in-flight 8]</c>.
/// </summary>
internal static class MetricsMeasurement
{
    // A fixed end, so every run builds the same ledger; the clock stands a few minutes after it, past the settle time.
    private static readonly DateTimeOffset End = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var rows = Option(args, "--rows", 1_000_000);
        var days = Option(args, "--days", 30);
        var runs = Option(args, "--runs", 20);
        var warmups = Option(args, "--warmups", 3);
        var rawRuns = Option(args, "--raw-runs", 3);
        var inFlight = Option(args, "--in-flight", 8);

        // A million ledger rows and as many minute rollups outgrow Node's default heap (about 4 GB here);
        // Azurite's node inherits this variable.
        Environment.SetEnvironmentVariable("NODE_OPTIONS", "--max-old-space-size=16384");
        await using var azurite = await AzuriteProcess.StartAsync();
        var clock = new FakeTimeProvider(End + TimeSpan.FromMinutes(5));
        // One run may catch the whole range up: a day per batch, and a budget the fake clock never uses up.
        var options = new MetricsOptions { BatchMinutes = 1440, RunBudgetSeconds = 600 };
        var rig = await MetricsRig.CreateAsync(azurite.ConnectionString(), options, clock);
        var ledger = new SyntheticLedger(rows, days, End);
        Say($"Azurite (in memory) on {azurite.Ports}; {rows:N0} ledger rows over {days} days, {ledger.Start:u} to {End:u}");

        await FillAsync(rig, ledger, inFlight);
        Say($"rollup starts (load average {LoadAverage()})");
        await RollUpAsync(rig);
        var queries = new (string Name, MetricsRange Range)[]
        {
            ($"{days} days, hourly series", new MetricsRange(ledger.Start, End, null, RollupGranularity.Hour)),
            ($"{days} days, daily series", new MetricsRange(ledger.Start, End, null, RollupGranularity.Day)),
            ($"{days} days, hourly series, one twin", new MetricsRange(ledger.Start, End, "grace-hopper", RollupGranularity.Hour)),
            // What the dashboard asks: up to now, so minutes at the edges and the raw ledger after the watermark.
            ($"{days} days to now, hourly series", MetricsRange.Parse((clock.GetUtcNow() - TimeSpan.FromDays(days)).ToString("O"), null, null, "hour", clock.GetUtcNow())),
        };
        Say("");
        Say($"queries (load average {LoadAverage()}):");
        Say($"| query ({warmups} warm-ups, {runs} runs) | median ms | p95 ms | min ms | of the median in HTTP (Azurite) | requests | rollup rows read | ledger rows read |");
        Say("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, range) in queries)
        {
            await TimeQueryAsync(rig, name, range, warmups, runs);
        }

        await ReadRawDayAsync(rig, End - TimeSpan.FromDays(1), End, rawRuns, days);
        return 0;
    }

    private static async Task FillAsync(MetricsRig rig, SyntheticLedger ledger, int inFlight)
    {
        var started = Stopwatch.GetTimestamp();
        var written = await LedgerBulkWriter.WriteAsync(rig.Ledger, rig.LedgerTable, ledger.Hours(), inFlight, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Say($"ledger filled: {written:N0} rows in {elapsed.TotalSeconds:F0} s ({written / elapsed.TotalSeconds:N0} rows/s, transactions of ≤ 100 rows of one partition, {inFlight} in flight)");
    }

    private static async Task RollUpAsync(MetricsRig rig)
    {
        var before = rig.Meter.Read();
        using var stop = new CancellationTokenSource();
        var progress = ReportProgressAsync(rig, stop.Token);
        var started = Stopwatch.GetTimestamp();
        var result = await rig.Rollup.RunAsync(CancellationToken.None) ?? throw new InvalidOperationException("The rollup lease was held.");
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await progress;
        var used = rig.Meter.Read() - before;
        Say($"rollup: {result.LedgerRows:N0} ledger rows in {result.Minutes:N0} minutes rolled up to {result.RolledUpTo:u} in {elapsed.TotalSeconds:F1} s = {result.LedgerRows / elapsed.TotalSeconds:N0} ledger rows/s");
        Say($"  rollup rows written: {used.RollupRows:N0} (minute {used.MinuteRows:N0}, hour {used.HourRows:N0}, day {used.DayRows:N0}); {used.Requests:N0} storage requests taking {used.Http.TotalSeconds:F1} s ({used.Http / elapsed:P0} of the run)");
    }

    // The run is one call of minutes' length: the watermark shows how far it got.
    private static async Task ReportProgressAsync(MetricsRig rig, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), stop);
                var watermark = await rig.Watermarks.GetAsync(stop);
                Say($"  … {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: rolled up to {watermark?.Done:u}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task TimeQueryAsync(MetricsRig rig, string name, MetricsRange range, int warmups, int runs)
    {
        var times = new List<double>();
        var http = new List<double>();
        MetricsSource? source = null;
        StorageMeter.Reading used = default;
        for (var i = 0; i < warmups + runs; i++)
        {
            var before = rig.Meter.Read();
            var started = Stopwatch.GetTimestamp();
            var slice = await rig.Query.QueryAsync(range, CancellationToken.None);
            var report = MetricsReports.Latency(slice);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (report.Series.Count == 0)
            {
                throw new InvalidOperationException($"{name}: an empty series.");
            }

            if (i >= warmups)
            {
                used = rig.Meter.Read() - before;
                times.Add(elapsed.TotalMilliseconds);
                http.Add(used.Http.TotalMilliseconds);
                source = slice.Source;
            }
        }

        var total = Distribution.Of(times);
        Say($"| {name} | {total.Median:F1} | {total.P95:F1} | {total.Min:F1} | {Distribution.Of(http).Median:F1} ms | {used.Requests} | {source!.RollupRows:N0} | {source.LedgerRows:N0} |");
    }

    // One day, not the month: on Azurite every page of 1,000 rows is a scan of the whole table.
    private static async Task ReadRawDayAsync(MetricsRig rig, DateTimeOffset from, DateTimeOffset to, int runs, int days)
    {
        var times = new List<double>();
        long rows = 0;
        StorageMeter.Reading used = default;
        for (var i = 0; i < runs; i++)
        {
            var before = rig.Meter.Read();
            var started = Stopwatch.GetTimestamp();
            rows = 0;
            await foreach (var _ in rig.Ledger.RowsBetweenAsync(from, to, null, CancellationToken.None))
            {
                rows++;
            }

            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            used = rig.Meter.Read() - before;
        }

        var d = Distribution.Of(times);
        var perSecond = rows / (d.Median / 1000);
        Say("");
        Say($"raw ledger, ONE day ({from:u} to {to:u}), {runs} runs: {rows:N0} rows in {used.Requests} requests, median {d.Median / 1000:F1} s (min {d.Min / 1000:F1} s) = {perSecond:N0} entities/s; the last run spent {used.Http.TotalMilliseconds / times[^1]:P0} of its time in HTTP");
        Say($"  at that rate {days} days of raw rows ({rows * days:N0}) would take {rows * days / perSecond:F0} s (on Azurite it is worse: each page scans the whole table)");
    }

    private static void Say(string line) => Console.WriteLine(line);

    // The machine may be shared: the 1-, 5- and 15-minute load averages say whether others were busy meanwhile.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
