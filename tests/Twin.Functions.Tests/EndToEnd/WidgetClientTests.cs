using System.Diagnostics;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>Runs the browser client twin-chat.js under Node against the local host: its trace ids must come back as the app's.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class WidgetClientTests(TwinAppFixture app)
{
    [Fact]
    public async Task The_browser_client_sends_a_new_trace_per_message_and_gets_it_back()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--test", "--test-reporter=tap", "--test-name-pattern=^real server", "tests/widget/twin-chat.test.mjs" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TWIN_BASE_URL"] = app.Server.BaseAddress.ToString().TrimEnd('/');
        start.Environment["TWIN_API_KEY"] = TestKeys.User;
        start.Environment["TWIN_TWIN_ID"] = "demo";
        using var node = Process.Start(start)!;
        string output;
        string errors;
        try
        {
            // Read together: a node that fills its stderr pipe while stdout is read would otherwise never exit.
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var reading = Task.WhenAll(node.StandardOutput.ReadToEndAsync(limit.Token), node.StandardError.ReadToEndAsync(limit.Token));
            await node.WaitForExitAsync(limit.Token);
            (output, errors) = ((await reading)[0], (await reading)[1]);
        }
        finally
        {
            // A node that hangs is ended by its id, with what it started, rather than outliving the test.
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}:\n{output}\n{errors}");
        // Tests outside the name pattern are reported as skipped; the real-server one itself must have run.
        var realServer = output.Split('\n').Single(l => l.Contains("real server", StringComparison.Ordinal) && l.TrimStart().StartsWith("ok", StringComparison.Ordinal));
        Assert.DoesNotContain("# SKIP", realServer, StringComparison.Ordinal);
        Assert.Contains("# traceIds", output, StringComparison.Ordinal);
    }
}
