using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Twin.Regress;

/// <summary>One gate run: parse the options, start the run, poll it to the end or the timeout, report, and answer the exit code.</summary>
internal sealed class RegressCommand
{
    private const int MaxConsecutivePollErrors = 5;

    private readonly CliOptions options;
    private readonly Redactor outWriter;
    private readonly Redactor errWriter;

    private RegressCommand(CliOptions options, Redactor outWriter, Redactor errWriter)
    {
        this.options = options;
        this.outWriter = outWriter;
        this.errWriter = errWriter;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, HttpMessageHandler? handler,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (!CliOptions.TryParse(args, environment, out var options, out var parseError))
        {
            // The key may be among the arguments; the messages never echo values, but redact anyway.
            var redact = new Redactor(error, KeyCandidates(args, environment));
            redact.Line($"error: {parseError}");
            redact.Line("Run twin-regress --help for usage.");
            return 2;
        }
        if (options.Help)
        {
            await output.WriteLineAsync(CliOptions.Usage).ConfigureAwait(false);
            return 0;
        }
        var command = new RegressCommand(options, new Redactor(output, [options.Key]), new Redactor(error, [options.Key]));
        try
        {
            return await command.ExecuteAsync(handler, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            command.errWriter.Line("error: cancelled");
            return 2;
        }
    }

    private async Task<int> ExecuteAsync(HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var api = new RegressionApi(options.BaseUrl, options.Key, handler);
        if (options.Key is null)
        {
            errWriter.Line($"warning: no admin API key (--key or {CliOptions.KeyEnvironmentVariable}); the app will likely answer 401");
        }
        else if (options.BaseUrl.Scheme == Uri.UriSchemeHttp && !options.BaseUrl.IsLoopback)
        {
            errWriter.Line("warning: sending the admin API key over plain http to a non-loopback host; use https");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);

        // 1. Start the run.
        ApiResult<StartResponse> started;
        try
        {
            started = await api.StartAsync(new StartRequest(options.Dataset, options.TwinId, options.PromptLabel, options.PromptVersion,
                options.Model, options.Baseline, options.MaxItems, options.Name, options.FewShot), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Finish(new GateResult(GateResult.Error, $"timed out after {Describe(options.Timeout)} starting the run", null, options), stopwatch.Elapsed);
        }
        if (started.Error is { } startError)
        {
            PrintError("could not start the regression run", startError);
            return 2;
        }
        var id = started.Value!.Id;
        if (string.IsNullOrWhiteSpace(id))
        {
            errWriter.Line("error: the app accepted the run but answered no id");
            return 2;
        }
        var statusUrl = api.ResolveStatusUrl(started.Value.StatusUrl, id);
        if (statusUrl is null)
        {
            errWriter.Line($"error: the app answered a statusUrl outside {api.BaseUrl.GetLeftPart(UriPartial.Authority)}; not following it (the key would go there)");
            return 2;
        }
        outWriter.Line($"Started regression run {id} (dataset {options.Dataset}, twin {options.TwinId}{(options.Baseline is null ? "" : ", baseline " + options.Baseline)}); polling {statusUrl.AbsolutePath}");

        // 2. Poll until finished, failed or the deadline.
        RunStatus? last = null;
        string? lastLine = null;
        var consecutiveErrors = 0;
        try
        {
            while (true)
            {
                var polled = await api.GetStatusAsync(statusUrl, deadline.Token).ConfigureAwait(false);
                if (polled.Error is { } pollError)
                {
                    if (!pollError.Transient || ++consecutiveErrors >= MaxConsecutivePollErrors)
                    {
                        PrintError($"could not read the status of run {id}", pollError);
                        return Finish(new GateResult(GateResult.Error, pollError.Message, last, options), stopwatch.Elapsed);
                    }
                    errWriter.Line($"warning: {pollError.Message} (retrying)");
                }
                else
                {
                    consecutiveErrors = 0;
                    last = polled.Value!;
                    var line = ProgressLine(last);
                    if (line != lastLine)
                    {
                        outWriter.Line(line);
                        lastLine = line;
                    }
                    if (last.Status is RunStates.Finished or RunStates.Failed)
                    {
                        break;
                    }
                }
                await Task.Delay(options.Poll, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Finish(new GateResult(GateResult.Error,
                $"timed out after {Describe(options.Timeout)}; run {id} is still {last?.Status ?? "unknown"}", last, options), stopwatch.Elapsed);
        }

        // 3. The verdict.
        if (last.Status == RunStates.Failed)
        {
            return Finish(new GateResult(GateResult.Error, $"run failed: {last.Error ?? last.Reason ?? "no error given"}", last, options), stopwatch.Elapsed);
        }
        var verdict = last.Verdict?.ToLowerInvariant() switch
        {
            Verdicts.Pass => Verdicts.Pass,
            Verdicts.Fail => Verdicts.Fail,
            Verdicts.Inconclusive => Verdicts.Inconclusive,
            _ => null,
        };
        if (verdict is null)
        {
            return Finish(new GateResult(GateResult.Error, $"the run finished without a known verdict ('{last.Verdict}')", last, options), stopwatch.Elapsed);
        }
        var exitCode = Finish(new GateResult(verdict, null, last, options), stopwatch.Elapsed);

        // 4. Save the baseline, on pass only.
        if (options.SaveBaseline is { } baselineName)
        {
            if (verdict != Verdicts.Pass)
            {
                outWriter.Line($"Not saving baseline {baselineName}: the verdict is {verdict}");
            }
            else
            {
                var saved = await api.SaveBaselineAsync(new SaveBaselineRequest(baselineName, id), cancellationToken).ConfigureAwait(false);
                if (saved.Error is { } saveError)
                {
                    PrintError($"could not save run {id} as baseline {baselineName}", saveError);
                    return 2;
                }
                outWriter.Line($"Saved run {id} as baseline {baselineName}");
            }
        }
        return exitCode;
    }

    private static string ProgressLine(RunStatus run)
    {
        var status = run.Status ?? "unknown";
        return run.Progress is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"[{status}] {p.Done}/{p.Total?.ToString(CultureInfo.InvariantCulture) ?? "?"} done, {p.Failed} failed")
            : $"[{status}]";
    }

    /// <summary>Prints the summary, writes the reports and returns the exit code.</summary>
    private int Finish(GateResult result, TimeSpan elapsed)
    {
        outWriter.Write(SummaryReport.Build(result));
        if (result.Verdict == GateResult.Error)
        {
            errWriter.Line($"error: {result.Message}");
        }
        var exitCode = result.ExitCode;
        if (options.JUnitPath is { } junit)
        {
            var document = JUnitReport.Build(result, elapsed);
            if (!TryWrite(junit, outWriter.Redact(document.Declaration + Environment.NewLine + document.ToString())))
            {
                exitCode = 2;
            }
        }
        if (options.MarkdownPath is { } markdown && !TryWrite(markdown, outWriter.Redact(MarkdownReport.Build(result))))
        {
            exitCode = 2;
        }
        return exitCode;
    }

    private bool TryWrite(string path, string content)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            outWriter.Line($"Wrote {path}");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errWriter.Line($"error: could not write {path}: {ex.Message}");
            return false;
        }
    }

    private void PrintError(string what, ApiError apiError)
    {
        errWriter.Line($"error: {what}: {apiError.Message}");
        foreach (var line in apiError.Lines)
        {
            errWriter.Line($"  {line}");
        }
    }

    private static string Describe(TimeSpan timeout) => timeout.TotalMinutes >= 1
        ? timeout.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + " min"
        : timeout.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s";

    private static IEnumerable<string?> KeyCandidates(string[] args, Func<string, string?> environment)
    {
        yield return environment(CliOptions.KeyEnvironmentVariable);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--key" && i + 1 < args.Length)
            {
                yield return args[i + 1];
            }
            else if (args[i].StartsWith("--key=", StringComparison.Ordinal))
            {
                yield return args[i]["--key=".Length..];
            }
        }
    }
}
