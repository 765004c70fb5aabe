using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net.Sockets;
using Twin.Functions.Http;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// The README's run command (<c>scripts/run.sh</c> ends in <c>dotnet run --project src/Twin.LocalHost</c>) serves the
/// app through its real isolated worker: the header only the worker's middleware writes is on its answers.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_run_command_answers_health_and_chat_through_the_worker()
    {
        await using var run = await RunCommand.StartAsync(TwinApp.Settings());
        using var anonymous = new HttpClient { BaseAddress = run.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var user = new HttpClient { BaseAddress = run.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        user.DefaultRequestHeaders.Add("X-Api-Key", TestKeys.User);

        var health = await anonymous.GetAsync("/api/health");
        await Eventually.TrueAsync(async () => (await user.SendAsync(Message("/api/chat/demo", new { message = "hello" }))).StatusCode != HttpStatusCode.NotFound, TimeSpan.FromSeconds(20), "the demo twin seeded");
        var chat = await user.SendAsync(Message("/api/chat/demo", new { message = "Which tool do you like for tracing?" }));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(chat.StatusCode == HttpStatusCode.OK, await chat.Content.ReadAsStringAsync());
        Assert.Equal("twin-offline", (await chat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("model").GetString());
        var healthInvocation = Assert.Single(health.Headers.GetValues(InvocationIdHeaderMiddleware.Header));
        var chatInvocation = Assert.Single(chat.Headers.GetValues(InvocationIdHeaderMiddleware.Header));
        Assert.True(Guid.TryParse(healthInvocation, out _), healthInvocation);
        Assert.NotEqual(healthInvocation, chatInvocation);
    }

    /// <summary>
    /// <c>dotnet run --project src/Twin.LocalHost -c Release --no-build</c> as <c>scripts/run.sh</c> runs it (the build
    /// is the test run's), with the test settings as environment variables, on a free port. The host opens its port
    /// only once the worker is ready, so the first answer on it means the whole start is done.
    /// </summary>
    private sealed class RunCommand : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _output = [];

        private RunCommand(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<RunCommand> StartAsync(IReadOnlyDictionary<string, string?> settings)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["run", "--project", "src/Twin.LocalHost", "-c", "Release", "--no-build", "--", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (key, value) in settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
            }

            var run = new RunCommand(new Process { StartInfo = start }, new Uri($"http://127.0.0.1:{port}"));
            run._process.OutputDataReceived += (_, line) => run.OnLine(line.Data);
            run._process.ErrorDataReceived += (_, line) => run.OnLine(line.Data);
            run._process.Start();
            run._process.BeginOutputReadLine();
            run._process.BeginErrorReadLine();
            try
            {
                await run.WaitUntilServingAsync();
                return run;
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            // The host and its worker are the process tree of the dotnet run started here, ended by its id.
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private async Task WaitUntilServingAsync()
        {
            using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + StartTimeout;
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The run command exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
                }

                try
                {
                    (await client.GetAsync("/api/health")).Dispose();
                    return;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    // Not listening yet: the worker is still starting.
                }
                catch (HttpRequestException ex)
                {
                    throw new TimeoutException($"The run command was not serving within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Output}", ex);
                }

                await Task.Delay(200);
            }
        }

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return string.Join(Environment.NewLine, _output.TakeLast(60));
                }
            }
        }

        private void OnLine(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.Add(line);
                }
            }
        }
    }
}
