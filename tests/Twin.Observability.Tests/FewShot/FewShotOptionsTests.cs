using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat.FewShot;
using Xunit;

namespace Twin.Observability.Tests.FewShot;

public sealed class FewShotOptionsTests
{
    [Fact]
    public void Defaults_match_the_documented_ones()
    {
        var options = new FewShotOptions();

        Assert.Equal((true, 3, 600, 300, 0.1, 0.7), (options.Enabled, options.MaxExamples, options.TokenBudget, options.RefreshSeconds, options.MinSimilarity, options.Lambda));
    }

    [Theory]
    [InlineData("FewShot:MaxExamples", "11")]
    [InlineData("FewShot:Lambda", "1.5")]
    [InlineData("FewShot:Twins:ada:MaxExamples", "-1")]
    public void Out_of_range_settings_fail_validation(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection();
        services.AddOptions<FewShotOptions>().Bind(configuration.GetSection(FewShotOptions.SectionName)).ValidateDataAnnotations();
        services.AddSingleton<IValidateOptions<FewShotOptions>, FewShotOptionsValidator>();
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FewShotOptions>>().Value);
    }

    [Fact]
    public void Per_twin_overrides_bind_and_apply()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FewShot:Twins:ada:Enabled"] = "false",
            ["FewShot:Twins:bob:MaxExamples"] = "1",
        }).Build();
        var options = configuration.GetSection(FewShotOptions.SectionName).Get<FewShotOptions>()!;

        Assert.Equal((false, true, true), (options.EnabledFor("ada"), options.EnabledFor("bob"), options.EnabledFor("cy")));
        Assert.Equal((1, 3), (options.MaxExamplesFor("bob"), options.MaxExamplesFor("cy")));
    }
}
