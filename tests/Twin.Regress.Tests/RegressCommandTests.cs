using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Xunit;

namespace Twin.Regress.Tests;

/// <summary>The command, run in-process against a fake app on Kestrel.</summary>
public sealed class RegressCommandTests : IAsyncLifetime, IDisposable
{
    private const string Key = "s3cret-admin-key-9f8e7d";
    private FakeRegressionApp fake = null!;
    private readonly string directory = Path.Combine(Path.GetTempPath(), "twin-regress-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync() => fake = await FakeRegressionApp.StartAsync();

    public async Task DisposeAsync() => await fake.DisposeAsync();

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public string All => Output + "\n" + Error;
    }

    private string[] Args(params string[] extra) =>
        ["--url", fake.BaseUrl, "--dataset", "golden", "--twin", "twin-1", "--key", Key, "--poll", "0.02", "--timeout", "0.5", .. extra];

    private static async Task<Outcome> RunAsync(string[] args, Func<string, string?>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, environment: environment ?? (_ => null));
        return new Outcome(code, output.ToString(), error.ToString());
    }

    private string PathOf(string file) => Path.Combine(directory, file);

    [Fact]
    public async Task Pass_without_baseline_exits_0_prints_progress_once_per_change_and_the_summary()
    {
        fake.Statuses(Runs.Progress("queued", 0), Runs.Progress("running", 3), Runs.Progress("running", 3), Runs.Progress("running", 7),
            Runs.Finished("pass"));

        var result = await RunAsync(Args());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[queued] 0/10 done", result.Output);
        Assert.Single(result.Output.Split('\n'), l => l.Contains("[running] 3/10 done", StringComparison.Ordinal));
        Assert.Contains("[running] 7/10 done", result.Output);
        Assert.Contains("[finished] 10/10 done", result.Output);
        Assert.Contains("groundedness", result.Output);
        Assert.Contains("0.82", result.Output);
        Assert.Contains("Pass rate 90%", result.Output);
        Assert.Contains("1235 ms", result.Output);
        Assert.Contains("$0.0421", result.Output);
        Assert.Contains("Verdict: PASS", result.Output);
        Assert.True(fake.Requests.Count(r => r.Method == "GET") >= 5);
    }

    [Fact]
    public async Task Start_request_carries_the_options_and_the_key_in_X_Api_Key()
    {
        fake.Statuses(Runs.Finished("pass"));

        var result = await RunAsync(Args("--baseline", "main", "--prompt-label", "prod", "--prompt-version", "4", "--model", "gpt-4o-mini",
            "--max-items", "25", "--name", "pr-12", "--few-shot", "false"));

        Assert.Equal(0, result.ExitCode);
        var start = Assert.Single(fake.Requests, r => r.Method == "POST");
        Assert.Equal("/api/manage/regression/test", start.Path);
        Assert.Equal(Key, start.ApiKey);
        var body = start.Body!;
        Assert.Equal("golden", (string?)body["dataset"]);
        Assert.Equal("twin-1", (string?)body["twinId"]);
        Assert.Equal("main", (string?)body["baseline"]);
        Assert.Equal("prod", (string?)body["promptLabel"]);
        Assert.Equal(4, (int?)body["promptVersion"]);
        Assert.Equal("gpt-4o-mini", (string?)body["model"]);
        Assert.Equal(25, (int?)body["maxItems"]);
        Assert.Equal("pr-12", (string?)body["name"]);
        Assert.False((bool?)body["fewShot"]);
        Assert.All(fake.Requests, r => Assert.Equal(Key, r.ApiKey));
    }

    [Fact]
    public async Task Key_comes_from_TWIN_API_KEY_and_never_appears_in_output_even_when_the_app_echoes_it()
    {
        fake.OnStart = _ => FakeRegressionApp.Problem(403, "Forbidden", $"key {Key} lacks the admin role");
        var args = Args().Where((_, i) => i is not (6 or 7)).ToArray(); // drop --key <key>

        var result = await RunAsync(args, name => name == "TWIN_API_KEY" ? Key : null);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(Key, Assert.Single(fake.Requests).ApiKey);
        Assert.DoesNotContain(Key, result.All);
        Assert.Contains("Forbidden", result.Error);
        Assert.Contains("lacks the admin role", result.Error);
    }

    [Fact]
    public async Task Key_never_appears_in_output_reports_or_on_a_successful_run()
    {
        fake.Statuses(Runs.Progress("running", 5), Runs.Finished("fail", Runs.Comparison("fail", ("groundedness", "fail")), reason: $"echo {Key}"));

        var result = await RunAsync(Args("--baseline", "main", "--junit", PathOf("junit.xml"), "--markdown", PathOf("summary.md")));

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(Key, result.All);
        Assert.DoesNotContain(Key, await File.ReadAllTextAsync(PathOf("junit.xml")));
        Assert.DoesNotContain(Key, await File.ReadAllTextAsync(PathOf("summary.md")));
    }

    [Fact]
    public async Task Fail_against_baseline_exits_1_and_JUnit_has_a_failure_per_failed_metric()
    {
        fake.Statuses(Runs.Finished("fail", Runs.Comparison("fail", ("groundedness", "fail"), ("relevance", "pass"), ("correctness", "inconclusive"))));

        var result = await RunAsync(Args("--baseline", "main", "--junit", PathOf("out/junit.xml")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Verdict: FAIL", result.Output);
        Assert.Contains("-0.15", result.Output);
        Assert.Contains("item-3", result.Output);
        var suite = XDocument.Load(PathOf("out/junit.xml")).Root!;
        Assert.Equal("testsuite", suite.Name.LocalName);
        Assert.Equal("twin-regress", (string?)suite.Attribute("name"));
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(["groundedness", "relevance", "correctness", "verdict"], cases.Select(c => (string?)c.Attribute("name")));
        Assert.Equal(4, (int)suite.Attribute("tests")!);
        Assert.Equal(2, (int)suite.Attribute("failures")!); // groundedness and verdict
        Assert.Equal(1, (int)suite.Attribute("skipped")!);
        Assert.Equal(0, (int)suite.Attribute("errors")!);
        Assert.NotNull(cases[0].Element("failure"));
        Assert.Contains("item-3", cases[0].Element("failure")!.Value);
        Assert.Null(cases[1].Element("failure"));
        Assert.Null(cases[1].Element("skipped"));
        Assert.StartsWith("inconclusive", (string?)cases[2].Element("skipped")!.Attribute("message"));
        Assert.NotNull(cases[3].Element("failure"));
    }

    [Fact]
    public async Task Inconclusive_exits_2_and_JUnit_skips_the_verdict()
    {
        fake.Statuses(Runs.Finished("inconclusive", reason: "empty dataset", total: 0));

        var result = await RunAsync(Args("--junit", PathOf("junit.xml")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Verdict: INCONCLUSIVE (empty dataset)", result.Output);
        var suite = XDocument.Load(PathOf("junit.xml")).Root!;
        // Without a baseline: one testcase per metric plus the verdict.
        Assert.Equal(4, (int)suite.Attribute("tests")!);
        Assert.Equal(0, (int)suite.Attribute("failures")!);
        Assert.Equal(1, (int)suite.Attribute("skipped")!);
        var verdict = suite.Elements("testcase").Single(c => (string?)c.Attribute("name") == "verdict");
        Assert.Contains("empty dataset", (string?)verdict.Element("skipped")!.Attribute("message"));
    }

    [Fact]
    public async Task Pass_without_baseline_JUnit_has_one_testcase_per_metric_and_no_failures()
    {
        fake.Statuses(Runs.Finished("pass"));

        var result = await RunAsync(Args("--junit", PathOf("junit.xml")));

        Assert.Equal(0, result.ExitCode);
        var suite = XDocument.Load(PathOf("junit.xml")).Root!;
        Assert.Equal(["correctness", "groundedness", "relevance", "verdict"], suite.Elements("testcase").Select(c => (string?)c.Attribute("name")));
        Assert.Equal(0, (int)suite.Attribute("failures")! + (int)suite.Attribute("skipped")! + (int)suite.Attribute("errors")!);
    }

    [Fact]
    public async Task Markdown_has_the_verdict_heading_and_the_tables()
    {
        fake.Statuses(Runs.Finished("fail", Runs.Comparison("fail", ("groundedness", "fail"), ("relevance", "pass"))));

        var result = await RunAsync(Args("--baseline", "main", "--markdown", PathOf("summary.md")));

        Assert.Equal(1, result.ExitCode);
        var markdown = await File.ReadAllTextAsync(PathOf("summary.md"));
        Assert.StartsWith("## ❌ Regression gate: FAIL", markdown);
        Assert.Contains("### Against baseline main v3", markdown);
        Assert.Contains("| groundedness | 10 | 0.85 | 0.7 | -0.15 | 0.001 |", markdown);
        Assert.Contains("❌ fail", markdown);
        Assert.Contains("### Metrics", markdown);
        Assert.Contains("| item-3 | groundedness | 0.9 | 0.2 |", markdown);
    }

    [Fact]
    public async Task Unknown_dataset_404_problem_exits_2_and_prints_title_and_detail()
    {
        fake.OnStart = _ => FakeRegressionApp.Problem(404, "Dataset not found", "no dataset named golden");

        var result = await RunAsync(Args());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("404 Dataset not found: no dataset named golden", result.Error);
        Assert.DoesNotContain(fake.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task Bad_input_400_prints_the_validation_errors()
    {
        fake.OnStart = _ => FakeRegressionApp.Problem(400, "Invalid request", "see errors",
            new Dictionary<string, string[]> { ["maxItems"] = ["must be at most 1000"] });

        var result = await RunAsync(Args("--max-items", "5000"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("400 Invalid request: see errors", result.Error);
        Assert.Contains("maxItems: must be at most 1000", result.Error);
    }

    [Fact]
    public async Task Run_status_failed_exits_2_with_the_error_and_a_JUnit_error()
    {
        fake.Statuses(Runs.Progress("running", 4), Runs.Failed("model deployment not found"));

        var result = await RunAsync(Args("--junit", PathOf("junit.xml"), "--markdown", PathOf("summary.md")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("run failed: model deployment not found", result.Error);
        var suite = XDocument.Load(PathOf("junit.xml")).Root!;
        Assert.Equal(1, (int)suite.Attribute("errors")!);
        Assert.Contains("ERROR", await File.ReadAllTextAsync(PathOf("summary.md")));
    }

    [Fact]
    public async Task Timeout_when_the_run_never_finishes_exits_2()
    {
        fake.Statuses(Runs.Progress("running", 1));
        var args = Args("--timeout", "0.01"); // 0.6 s; the later --timeout wins

        var started = DateTime.UtcNow;
        var result = await RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("timed out", result.Error);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Transient_status_errors_are_retried()
    {
        fake.StatusAnswer(() => FakeRegressionApp.Problem(503, "Busy", "try again")).Statuses(Runs.Finished("pass"));

        var result = await RunAsync(Args());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("retrying", result.Error);
    }

    [Fact]
    public async Task Save_baseline_posts_on_pass()
    {
        fake.Statuses(Runs.Finished("pass"));

        var result = await RunAsync(Args("--save-baseline", "main"));

        Assert.Equal(0, result.ExitCode);
        var save = Assert.Single(fake.Requests, r => r.Path == "/api/manage/regression/baseline");
        Assert.Equal("main", (string?)save.Body!["name"]);
        Assert.Equal(FakeRegressionApp.RunId, (string?)save.Body!["testId"]);
        Assert.Equal(Key, save.ApiKey);
        Assert.Contains("Saved run run-42 as baseline main", result.Output);
    }

    [Theory]
    [InlineData("fail", 1)]
    [InlineData("inconclusive", 2)]
    public async Task Save_baseline_does_not_post_unless_pass(string verdict, int exitCode)
    {
        fake.Statuses(Runs.Finished(verdict));

        var result = await RunAsync(Args("--save-baseline", "main"));

        Assert.Equal(exitCode, result.ExitCode);
        Assert.DoesNotContain(fake.Requests, r => r.Path == "/api/manage/regression/baseline");
        Assert.Contains("Not saving baseline main", result.Output);
    }

    [Fact]
    public async Task Save_baseline_conflict_exits_2()
    {
        fake.Statuses(Runs.Finished("pass"));
        fake.OnBaseline = _ => FakeRegressionApp.Problem(409, "Conflict", "run run-42 is not finished");

        var result = await RunAsync(Args("--save-baseline", "main"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("409 Conflict: run run-42 is not finished", result.Error);
    }

    [Fact]
    public async Task Status_url_on_another_origin_is_not_followed()
    {
        fake.OnStart = _ => Microsoft.AspNetCore.Http.Results.Json(new { id = "x", statusUrl = "http://evil.example/steal" }, statusCode: 202);

        var result = await RunAsync(Args());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not following it", result.Error);
    }

    [Fact]
    public async Task Unreachable_app_exits_2()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var result = await RunAsync(["--url", $"http://127.0.0.1:{port}", "--dataset", "golden", "--twin", "twin-1", "--key", Key]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot reach the app", result.Error);
        Assert.DoesNotContain(Key, result.All);
    }

    [Theory]
    [InlineData(new[] { "--dataset", "golden", "--twin", "t" }, "required")]
    [InlineData(new[] { "--url", "ftp://x", "--dataset", "golden", "--twin", "t" }, "http")]
    [InlineData(new[] { "--url", "http://x", "--dataset", "golden", "--twin", "t", "--timeout", "soon" }, "--timeout")]
    [InlineData(new[] { "--url", "http://x", "--dataset", "golden", "--twin", "t", "--bogus", "1" }, "unknown option --bogus")]
    public async Task Bad_arguments_exit_2_with_usage_hint(string[] args, string message)
    {
        var result = await RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        var result = await RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage: twin-regress", result.Output);
    }
}
