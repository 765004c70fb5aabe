using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Twin.LocalHost.Worker;

/// <summary>
/// One worker process, <c>dotnet {app}.dll</c>, started with the arguments and environment the Functions host gives
/// a .NET isolated worker (Azure/azure-functions-host <c>RpcWorkerContext</c>): the gRPC address both in the current
/// form (<c>--functions-*</c>) and the older one, an unbounded message size (the worker's default of 0 makes it
/// fail at start), and the app's folder in <c>FUNCTIONS_APPLICATION_DIRECTORY</c>. Its console lines are logged as
/// the host logs them: stdout at Information, stderr at Error, category <c>Function.Console</c>.
/// </summary>
public sealed partial class WorkerProcess : IDisposable
{
    public const string ConsoleCategory = "Function.Console";

    private const string MaxMessageLength = "2147483647";

    private const int RecentErrorLines = 100;

    // How long an exit waits for the last console lines still in the pipes (an unhandled exception's text is written
    // just before the process ends, and the exit can be seen before the reader has it).
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _console;
    private readonly Queue<string> _recentErrors = new();
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, ILogger console, string home)
    {
        _process = process;
        _console = console;
        Home = home;
    }

    public int Id => _process.Id;

    /// <summary>The worker's own <c>HOME</c> (ASP.NET Core keeps its data-protection keys there).</summary>
    public string Home { get; }

    /// <summary>
    /// Completes with the exit code when the process ends, however it ends, once what it wrote to its console has been
    /// read (or a short deadline passed), so <see cref="RecentErrors"/> holds its last words.
    /// </summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The last lines the worker wrote to stderr: why it failed, when it fails at start.</summary>
    public string RecentErrors
    {
        get
        {
            lock (_recentErrors)
            {
                return string.Join(Environment.NewLine, _recentErrors);
            }
        }
    }

    public static WorkerProcess Start(LocalFunctionsApp app, Uri rpcAddress, string workerId, IReadOnlyDictionary<string, string?> environment, ILoggerFactory loggers)
    {
        var requestId = Guid.NewGuid().ToString();
        var home = Path.Combine(Path.GetTempPath(), "twin-localhost", workerId);
        Directory.CreateDirectory(home);
        var start = new ProcessStartInfo(DotnetPath())
        {
            WorkingDirectory = app.AppDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var argument in (string[])[
            app.AssemblyPath,
            "--host", rpcAddress.Host, "--port", rpcAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", MaxMessageLength,
            "--functions-uri", rpcAddress.ToString(), "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", MaxMessageLength])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = app.AppDirectory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = app.AppDirectory;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["HOME"] = home;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, loggers.CreateLogger(ConsoleCategory), home);
        process.OutputDataReceived += (_, line) => worker.OnConsole(line.Data, isError: false);
        process.ErrorDataReceived += (_, line) => worker.OnConsole(line.Data, isError: true);
        process.Exited += (_, _) => worker.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Ends the process now (after a graceful stop had its chance).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited: nothing to end.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException ex)
        {
            LogHomeNotDeleted(_console, ex, Home);
        }
    }

    // The SDK's own dotnet when the host runs under it (tests, dotnet run), else the one on PATH.
    private static string DotnetPath()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
    }

    private void OnConsole(string? line, bool isError)
    {
        if (line is null)
        {
            (isError ? _errorEnded : _outputEnded).TrySetResult();
            return;
        }

        if (line.Length == 0)
        {
            return;
        }

        if (isError)
        {
            lock (_recentErrors)
            {
                _recentErrors.Enqueue(line);
                while (_recentErrors.Count > RecentErrorLines)
                {
                    _recentErrors.Dequeue();
                }
            }

            LogStandardError(_console, line);
        }
        else
        {
            LogStandardOutput(_console, line);
        }
    }

    private void OnExited() => _ = CompleteExitAsync();

    private async Task CompleteExitAsync()
    {
        var drained = Task.WhenAll(_outputEnded.Task, _errorEnded.Task);
        if (await Task.WhenAny(drained, Task.Delay(DrainTimeout)).ConfigureAwait(false) != drained)
        {
            // A child of the worker may still hold the pipes; the exit is reported with what was read so far.
            LogConsoleNotDrained(_console, DrainTimeout.TotalSeconds);
        }

        int code;
        try
        {
            code = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }

        _exited.TrySetResult(code);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogStandardOutput(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Line}")]
    private static partial void LogStandardError(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The worker's console was still open {Seconds} s after it exited")]
    private static partial void LogConsoleNotDrained(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not delete the worker's home {Home}")]
    private static partial void LogHomeNotDeleted(ILogger logger, Exception exception, string home);
}
