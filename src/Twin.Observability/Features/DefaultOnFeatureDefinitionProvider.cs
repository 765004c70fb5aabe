using Microsoft.Extensions.Configuration;
using Microsoft.FeatureManagement;

namespace Twin.Observability.Features;

/// <summary>
/// Feature definitions from configuration (<see cref="ConfigurationFeatureDefinitionProvider"/>: <c>true</c>/<c>false</c>,
/// or any filter Microsoft.FeatureManagement knows), except that a known flag configuration does not mention is on:
/// the rollout switches features off, and a deployment that says nothing runs them all.
/// </summary>
internal sealed class DefaultOnFeatureDefinitionProvider(IConfiguration configuration) : IFeatureDefinitionProvider, IDisposable
{
    private static readonly FeatureFilterConfiguration AlwaysOn = new() { Name = "AlwaysOn" };

    private readonly ConfigurationFeatureDefinitionProvider _configured = new(configuration);

    public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName) =>
        IsConfigured(featureName)
            ? _configured.GetFeatureDefinitionAsync(featureName)
            : Task.FromResult(new FeatureDefinition { Name = featureName, EnabledFor = [AlwaysOn] });

    public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
    {
        foreach (var flag in FeatureFlags.All)
        {
            yield return await GetFeatureDefinitionAsync(flag).ConfigureAwait(false);
        }
    }

    public void Dispose() => _configured.Dispose();

    // Read on every call: configuration that reloads (App Configuration, a changed file) switches a flag without a restart.
    private bool IsConfigured(string featureName) =>
        configuration.GetSection(FeatureFlags.SectionName).GetSection(featureName).Exists();
}
