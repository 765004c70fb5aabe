using System.Text.Json;
using System.Text.RegularExpressions;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Infra;

/// <summary>
/// Holds the app's settings (the Values of local.settings.sample.json) and the Azure deployment together: every one is
/// listed in infra/app-settings.json with where Azure gets it, and the Bicep under infra/ really sets what the list
/// says it sets.
/// </summary>
public sealed class AppSettingsCoverageTests
{
    private static readonly string Infra = Path.Combine(RepositoryRoot.Path, "infra");
    private static readonly string[] Sources = ["bicep", "parameter", "secret", "sample", "local-only"];

    private static readonly Dictionary<string, string> SampleValues = ReadSampleValues();
    private static readonly Dictionary<string, JsonElement> Manifest = ReadManifest();
    private static readonly string MainBicep = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
    private static readonly string AllBicep = string.Join('\n',
        Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    [Fact]
    public void Every_setting_of_the_sample_is_in_the_manifest()
    {
        var missing = SampleValues.Keys.Where(k => !Manifest.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"Add to infra/app-settings.json (and the Bicep): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_entry_names_a_known_source_and_a_reason()
    {
        foreach (var (key, entry) in Manifest)
        {
            var source = Source(entry);
            Assert.True(Sources.Contains(source), $"{key}: source '{source}' is none of {string.Join(", ", Sources)}.");
            Assert.False(string.IsNullOrWhiteSpace(Text(entry, "reason")), $"{key}: give a reason.");
        }
    }

    [Fact]
    public void Settings_the_bicep_sets_are_set_in_main_bicep_or_its_modules()
    {
        var missing = Manifest.Where(e => Source(e.Value) is "bicep" or "parameter" or "secret" && !SetsSetting(AllBicep, e.Key))
            .Select(e => e.Key).ToList();
        Assert.True(missing.Count == 0, $"Marked as set by the Bicep but set nowhere under infra/: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Local_only_settings_are_not_deployed()
    {
        var deployed = Manifest.Where(e => Source(e.Value) == "local-only" && SetsSetting(AllBicep, e.Key)).Select(e => e.Key).ToList();
        Assert.True(deployed.Count == 0, $"Marked local-only but set by the Bicep: {string.Join(", ", deployed)}");
    }

    [Fact]
    public void Parameters_and_secrets_are_main_bicep_parameters_filled_by_azd()
    {
        var parameters = File.ReadAllText(Path.Combine(Infra, "main.parameters.json"));
        foreach (var (key, entry) in Manifest.Where(e => Source(e.Value) is "parameter" or "secret"))
        {
            var name = Text(entry, "parameter");
            Assert.False(string.IsNullOrEmpty(name), $"{key}: name its main.bicep parameter.");
            var declaration = Regex.Match(MainBicep, $@"(?<attributes>(?:^@.*\n)*)^param {Regex.Escape(name)} ", RegexOptions.Multiline);
            Assert.True(declaration.Success, $"{key}: main.bicep has no parameter {name}.");
            Assert.Contains($"\"{name}\"", parameters, StringComparison.Ordinal);
            if (Source(entry) == "secret")
            {
                Assert.True(declaration.Groups["attributes"].Value.Contains("@secure()", StringComparison.Ordinal), $"{key}: parameter {name} must be @secure().");
                var secret = Text(entry, "secret");
                Assert.False(string.IsNullOrEmpty(secret), $"{key}: name its Key Vault secret.");
                Assert.Matches($@"'{Regex.Escape(secret)}': {Regex.Escape(name)}\b", MainBicep);
                Assert.Matches($@"(?m)^\s*{Regex.Escape(key)}: empty\({Regex.Escape(name)}\) \? '' : '{Regex.Escape(secret)}'", MainBicep);
            }
        }
    }

    [Fact]
    public void Secrets_reach_the_app_as_key_vault_references()
    {
        Assert.Contains("@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/", AllBicep, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_values_deployed_by_the_bicep_equal_the_sample()
    {
        foreach (var (key, entry) in Manifest.Where(e => Source(e.Value) == "sample"))
        {
            Assert.True(SampleValues.TryGetValue(key, out var expected), $"{key} is marked sample but is not in local.settings.sample.json.");
            Assert.Equal((key, expected), (key, Text(entry, "value")));
        }
    }

    private static bool SetsSetting(string bicep, string key) =>
        Regex.IsMatch(bicep, $@"^\s*{Regex.Escape(key)}\s*:", RegexOptions.Multiline);

    private static string Source(JsonElement entry) => Text(entry, "source") ?? "";

    private static string? Text(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> ReadSampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    private static Dictionary<string, JsonElement> ReadManifest()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Infra, "app-settings.json")));
        return manifest.RootElement.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
