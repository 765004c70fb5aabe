using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.FeatureManagement;
using Twin.Observability.Features;
using Xunit;

namespace Twin.Observability.Tests.Features;

public sealed class FeatureFlagsTests
{
    [Fact]
    public async Task Every_flag_is_on_unless_configuration_switches_it_off()
    {
        var (provider, _) = Build(("FeatureManagement:Alerts", "false"), ("FeatureManagement:Metrics", "true"));
        await using var _ = provider;
        var features = provider.GetRequiredService<IFeatureManager>();

        foreach (var flag in FeatureFlags.All)
        {
            Assert.Equal(flag != FeatureFlags.Alerts, await features.IsEnabledAsync(flag));
        }
    }

    [Fact]
    public async Task A_flag_changed_while_the_app_runs_takes_effect_without_a_restart()
    {
        var (provider, configuration) = Build();
        await using var _ = provider;
        var features = provider.GetRequiredService<IFeatureManager>();
        Assert.True(await features.IsEnabledAsync(FeatureFlags.Regression));

        configuration["FeatureManagement:Regression"] = "false";
        configuration.Reload();
        Assert.False(await features.IsEnabledAsync(FeatureFlags.Regression));

        configuration["FeatureManagement:Regression"] = "true";
        configuration.Reload();
        Assert.True(await features.IsEnabledAsync(FeatureFlags.Regression));
    }

    [Fact]
    public async Task Other_feature_management_forms_still_work()
    {
        // The object form Microsoft.FeatureManagement documents, with a filter: what App Configuration writes.
        var (provider, _) = Build(("FeatureManagement:Playground:EnabledFor:0:Name", "AlwaysOn"), ("FeatureManagement:Compare:EnabledFor", ""));
        await using var _ = provider;
        var features = provider.GetRequiredService<IFeatureManager>();

        Assert.True(await features.IsEnabledAsync(FeatureFlags.Playground));
        Assert.False(await features.IsEnabledAsync(FeatureFlags.Compare));
    }

    [Fact]
    public async Task Health_lists_every_flag_and_its_state()
    {
        var (provider, _) = Build(("FeatureManagement:ABTesting", "false"));
        await using var _ = provider;

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "features");

        var data = report.Entries["features"].Data;
        Assert.Equal(FeatureFlags.All, data.Keys);
        Assert.Equal("off", data[FeatureFlags.ABTesting]);
        Assert.Equal("on", data[FeatureFlags.Evaluation]);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    private static (ServiceProvider Provider, IConfigurationRoot Configuration) Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var provider = new ServiceCollection().AddLogging().AddTwinFeatures(configuration).BuildServiceProvider();
        return (provider, configuration);
    }
}
