using System.Globalization;

namespace Twin.Regress;

/// <summary>The command line, parsed by hand (no dependency): <c>--name value</c> or <c>--name=value</c>.</summary>
internal sealed class CliOptions
{
    public const string KeyEnvironmentVariable = "TWIN_API_KEY";

    public Uri BaseUrl { get; private set; } = null!;
    public string Dataset { get; private set; } = "";
    public string TwinId { get; private set; } = "";
    public string? Key { get; private set; }
    public string? Baseline { get; private set; }
    public string? PromptLabel { get; private set; }
    public int? PromptVersion { get; private set; }
    public string? Model { get; private set; }
    public int? MaxItems { get; private set; }
    public string? Name { get; private set; }
    public bool? FewShot { get; private set; }
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromMinutes(30);
    public TimeSpan Poll { get; private set; } = TimeSpan.FromSeconds(2);
    public string? JUnitPath { get; private set; }
    public string? MarkdownPath { get; private set; }
    public string? SaveBaseline { get; private set; }
    public bool Help { get; private set; }

    public const string Usage = """
        Usage: twin-regress --url <base URL> --dataset <name> --twin <twinId> [options]

        Starts a regression run on a Twin Observability app, waits for it and gates on its verdict.

          --url <url>              Base URL of the app, e.g. http://127.0.0.1:7071 (required)
          --dataset <name>         Dataset to run (required)
          --twin <twinId>          Twin to run it against (required)
          --key <key>              Admin API key (default: environment variable TWIN_API_KEY; prefer it in CI)
          --baseline <name>        Baseline to compare against
          --prompt-label <label>   Prompt label of the candidate
          --prompt-version <n>     Prompt version of the candidate
          --model <model>          Model of the candidate
          --max-items <n>          Run at most n items of the dataset
          --name <name>            Name of the run
          --few-shot true|false    Few-shot prompting on or off
          --timeout <minutes>      Give up after this long (default 30; fractions allowed)
          --poll <seconds>         Polling interval (default 2; fractions allowed)
          --junit <path>           Write JUnit XML there
          --markdown <path>        Write a Markdown summary there (e.g. for a pull-request comment)
          --save-baseline <name>   Save the run as this baseline when the verdict is pass
          -h, --help               Show this help

        Exit codes: 0 pass, 1 fail, 2 inconclusive or any error.
        """;

    public static bool TryParse(IReadOnlyList<string> args, Func<string, string?> environment, out CliOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var o = new CliOptions();
        options = o;
        error = null;
        string? url = null, dataset = null, twin = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                o.Help = true;
                return true;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return false;
            }
            string name;
            string? value;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg;
                value = i + 1 < args.Count ? args[++i] : null;
            }
            if (value is null)
            {
                error = $"option {name} needs a value";
                return false;
            }

            error = name switch
            {
                "--url" => Set(ref url, value),
                "--dataset" => Set(ref dataset, value),
                "--twin" => Set(ref twin, value),
                "--key" => SetNullable(v => o.Key = v, value),
                "--baseline" => SetNullable(v => o.Baseline = v, value),
                "--prompt-label" => SetNullable(v => o.PromptLabel = v, value),
                "--prompt-version" => ParseInt(name, value, 0, v => o.PromptVersion = v),
                "--model" => SetNullable(v => o.Model = v, value),
                "--max-items" => ParseInt(name, value, 1, v => o.MaxItems = v),
                "--name" => SetNullable(v => o.Name = v, value),
                "--few-shot" => ParseBool(name, value, v => o.FewShot = v),
                "--timeout" => ParsePositive(name, value, v => o.Timeout = TimeSpan.FromMinutes(v)),
                "--poll" => ParsePositive(name, value, v => o.Poll = TimeSpan.FromSeconds(v)),
                "--junit" => SetNullable(v => o.JUnitPath = v, value),
                "--markdown" => SetNullable(v => o.MarkdownPath = v, value),
                "--save-baseline" => SetNullable(v => o.SaveBaseline = v, value),
                _ => $"unknown option {name}",
            };
            if (error is not null)
            {
                // Never echo a value back: it may be the key.
                return false;
            }
        }

        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(dataset) || string.IsNullOrWhiteSpace(twin))
        {
            error = "--url, --dataset and --twin are required";
            return false;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            error = "--url must be an absolute http(s) URL";
            return false;
        }
        options.BaseUrl = baseUrl;
        options.Dataset = dataset;
        options.TwinId = twin;
        if (string.IsNullOrEmpty(options.Key))
        {
            var fromEnvironment = environment(KeyEnvironmentVariable);
            options.Key = string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
        }
        return true;
    }

    private static string? Set(ref string? target, string value)
    {
        target = value;
        return null;
    }

    private static string? SetNullable(Action<string> set, string value)
    {
        set(value);
        return null;
    }

    private static string? ParseInt(string name, string value, int min, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
        {
            return $"{name} must be an integer >= {min.ToString(CultureInfo.InvariantCulture)}";
        }
        set(n);
        return null;
    }

    private static string? ParsePositive(string name, string value, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n <= 0)
        {
            return $"{name} must be a positive number";
        }
        set(n);
        return null;
    }

    private static string? ParseBool(string name, string value, Action<bool> set)
    {
        if (!bool.TryParse(value, out var b))
        {
            return $"{name} must be true or false";
        }
        set(b);
        return null;
    }
}
