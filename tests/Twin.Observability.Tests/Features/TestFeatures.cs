using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Twin.Observability.Features;

namespace Twin.Observability.Tests.Features;

/// <summary>The app's real feature manager over settings of a test's choosing.</summary>
internal static class TestFeatures
{
    public static IFeatureManager AllOn { get; } = With();

    /// <summary>Every flag on except those named, which are off.</summary>
    public static IFeatureManager Off(params string[] flags) =>
        With([.. flags.Select(f => new KeyValuePair<string, string?>($"{FeatureFlags.SectionName}:{f}", "false"))]);

    private static IFeatureManager With(params KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        // Kept for the test process's life: feature managers are singletons in the app too.
        return new ServiceCollection().AddLogging().AddTwinFeatures(configuration).BuildServiceProvider().GetRequiredService<IFeatureManager>();
    }
}
