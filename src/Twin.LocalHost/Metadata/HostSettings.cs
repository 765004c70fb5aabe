using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Twin.LocalHost.Metadata;

/// <summary>The parts of <c>host.json</c> the local host honours: the HTTP route prefix and the queue trigger settings.</summary>
public sealed record HostSettings
{
    public const string FileName = "host.json";

    public string RoutePrefix { get; init; } = "api";

    public QueueSettings Queues { get; init; } = new();

    /// <summary>
    /// <c>functionTimeout</c>: how long one invocation may run. Core Tools' default when host.json is silent is 30
    /// minutes, as on a dedicated plan; the app's host.json sets its own.
    /// </summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Reads <c>host.json</c> with the host's app-setting overrides applied: a setting
    /// <c>AzureFunctionsJobHost__extensions__queues__visibilityTimeout</c> wins over that value in the file.
    /// </summary>
    public static HostSettings Read(string appDirectory, IConfiguration? configuration = null)
    {
        var path = Path.Combine(appDirectory, FileName);
        var root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        if (configuration is not null)
        {
            Overlay(root, configuration.GetSection(OverridePrefix));
        }

        var extensions = root["extensions"];
        var queues = extensions?["queues"];
        var defaults = new QueueSettings();
        return new HostSettings
        {
            RoutePrefix = ((string?)extensions?["http"]?["routePrefix"] ?? "api").Trim('/'),
            FunctionTimeout = Timeout(root["functionTimeout"]),
            Queues = new QueueSettings
            {
                MaxPollingInterval = Span(queues?["maxPollingInterval"]) ?? defaults.MaxPollingInterval,
                VisibilityTimeout = Span(queues?["visibilityTimeout"]) ?? defaults.VisibilityTimeout,
                BatchSize = (int?)queues?["batchSize"] ?? defaults.BatchSize,
                MaxDequeueCount = (int?)queues?["maxDequeueCount"] ?? defaults.MaxDequeueCount,
                Base64Encoding = !string.Equals((string?)queues?["messageEncoding"], "none", StringComparison.OrdinalIgnoreCase),
            },
        };
    }

    private const string OverridePrefix = "AzureFunctionsJobHost";

    private static void Overlay(JsonObject target, IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            if (child.Value is { } value)
            {
                // Settings are strings; numbers become JSON numbers as they are in host.json.
                target[child.Key] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? JsonNode.Parse(value) : JsonValue.Create(value);
            }
            else
            {
                if (target[child.Key] is not JsonObject nested)
                {
                    nested = [];
                    target[child.Key] = nested;
                }

                Overlay(nested, child);
            }
        }
    }

    // "-1" means no limit (dedicated plans); the host allows that, so does the local host.
    private static TimeSpan Timeout(JsonNode? node) =>
        node is null ? new HostSettings().FunctionTimeout
        : (string?)node == "-1" ? System.Threading.Timeout.InfiniteTimeSpan
        : Span(node) ?? new HostSettings().FunctionTimeout;

    // host.json gives time spans as "hh:mm:ss" strings, or (for maxPollingInterval) as milliseconds.
    private static TimeSpan? Span(JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => TimeSpan.Parse((string)node!, CultureInfo.InvariantCulture),
        System.Text.Json.JsonValueKind.Number => TimeSpan.FromMilliseconds((double)node!),
        _ => null,
    };
}

/// <summary>host.json <c>extensions.queues</c>, with the Functions host's defaults.</summary>
public sealed record QueueSettings
{
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    public int BatchSize { get; init; } = 16;

    public int MaxDequeueCount { get; init; } = 5;

    public bool Base64Encoding { get; init; } = true;
}
