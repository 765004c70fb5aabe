using System.Text.Json.Nodes;

namespace Twin.LocalHost.Configuration;

/// <summary>
/// Reads the <c>Values</c> and <c>Host</c> blocks of <c>local.settings.json</c> as Core Tools does. Values use
/// <c>__</c> for section separators (as app settings on Linux must); they become configuration keys with <c>:</c>.
/// </summary>
public sealed record LocalSettingsFile(IReadOnlyDictionary<string, string?> Values, int? LocalHttpPort)
{
    public const string FileName = "local.settings.json";

    public static LocalSettingsFile Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            return new LocalSettingsFile(new Dictionary<string, string?>(), null);
        }

        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (root?[nameof(Values)] is JsonObject block)
        {
            foreach (var (key, value) in block)
            {
                values[key.Replace("__", ":", StringComparison.Ordinal)] = value?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)value : value?.ToJsonString();
            }
        }

        return new LocalSettingsFile(values, (int?)root?["Host"]?[nameof(LocalHttpPort)]);
    }
}
