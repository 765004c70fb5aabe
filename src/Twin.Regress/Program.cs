namespace Twin.Regress;

/// <summary>twin-regress: starts a regression run, waits for it, reports and exits 0 pass, 1 fail, 2 inconclusive or error.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, handler: null, environment: null, cancel.Token).ConfigureAwait(false);
    }

    /// <summary>The whole command, in-process. <paramref name="handler"/> replaces the HTTP stack (tests);
    /// <paramref name="environment"/> replaces environment variables (TWIN_API_KEY).</summary>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        HttpMessageHandler? handler = null,
        Func<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        return RegressCommand.RunAsync(args, output, error, handler, environment ?? Environment.GetEnvironmentVariable, cancellationToken);
    }
}
