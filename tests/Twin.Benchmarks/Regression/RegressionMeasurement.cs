using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Twin.LocalHost;
using Twin.Observability.Datasets;
using Twin.Testing;

namespace Twin.Benchmarks.Regression;

/// <summary>
/// A regression run end to end (<c>dotnet run -c Release --project tests/Twin.Benchmarks -- regression --items 1000</c>):
/// a private in-memory Azurite, the real Functions app on the local host and its worker, the offline model and the
/// heuristic judges; a dataset of N items, one run through the <c>regression-runs</c> queue. Reports items per second
/// from the 202 to <c>finished</c>, and the CPU the host and worker processes spent per item.
/// </summary>
internal static class RegressionMeasurement
{
    private static readonly string[] Subjects = ["tracing", "baking", "hiking", "databases", "editors", "languages", "music", "travel"];

    public static async Task<int> RunAsync(string[] args)
    {
        var items = args.SkipWhile(a => a != "--items").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1000);
        await using var azurite = await AzuriteProcess.StartAsync();
        var connection = azurite.ConnectionString();
        var settings = new Dictionary<string, string?>(TestKeys.Settings)
        {
            ["AzureWebJobsStorage"] = connection,
            ["Langfuse:PublicKey"] = "",
            ["Langfuse:SecretKey"] = "",
            ["Chat:Evaluate"] = "false",
            ["AzureWebJobs.EvaluateChat.Disabled"] = "true",
            ["AzureWebJobs.RollupMetrics.Disabled"] = "true",
            ["Alerts:EvaluationSchedule"] = "0 0 0 1 1 *",
            ["Monitoring:CheckSchedule"] = "0 0 0 1 1 *",
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "200",
            ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "16",
            ["Regression:MaxItems"] = items.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };

        await using var server = await LocalHostServer.StartAsync(LocalFunctionsApp.Built("Twin.Functions"), settings);
        using var admin = server.CreateClient(TestKeys.Admin);
        var twinId = "bench";
        var knowledge = Subjects.Select(s => $"I have strong opinions about {s}.").ToArray();
        (await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Bench", persona = "You are Bench.", knowledge })).EnsureSuccessStatusCode();
        var store = new TableDatasetStore(new TableServiceClient(connection), TimeProvider.System);
        const string dataset = "bench-golden";
        await store.EnsureDatasetAsync(dataset, "benchmark", default);
        for (var i = 0; i < items; i++)
        {
            var subject = Subjects[i % Subjects.Length];
            await store.UpsertItemAsync(new DatasetItem($"item{i:D5}", dataset, new JsonObject { ["message"] = $"What do you think about {subject}? ({i})" }, new JsonObject { ["reply"] = knowledge[i % knowledge.Length] }, [], null), default);
        }

        var worker = Process.GetProcessById(server.Worker.Process.Id);
        var host = Process.GetCurrentProcess();
        var cpuBefore = worker.TotalProcessorTime + host.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var started = await admin.PostAsJsonAsync("/api/manage/regression/test", new { dataset, twinId, maxItems = items });
        started.EnsureSuccessStatusCode();
        var statusUrl = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        JsonElement report;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(30);
        while (true)
        {
            report = await admin.GetFromJsonAsync<JsonElement>(statusUrl + "?limit=1");
            if (report.GetProperty("status").GetString() is "finished" or "failed" || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(250);
        }

        watch.Stop();
        worker.Refresh();
        host.Refresh();
        var cpu = worker.TotalProcessorTime + host.TotalProcessorTime - cpuBefore;
        var progress = report.GetProperty("progress");
        var done = progress.GetProperty("done").GetInt32() + progress.GetProperty("failed").GetInt32();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"regression run of {items:N0} items (offline model, heuristic judges, Azurite in memory; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  status {report.GetProperty("status").GetString()}, {done:N0} items in {watch.Elapsed.TotalSeconds:0.0} s = {done / watch.Elapsed.TotalSeconds:0.0} items/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  CPU (host + worker): {cpu.TotalSeconds:0.0} s = {cpu.TotalMilliseconds / Math.Max(1, done):0.0} ms per item on {Environment.ProcessorCount} cores"));
        return report.GetProperty("status").GetString() == "finished" ? 0 : 1;
    }
}
