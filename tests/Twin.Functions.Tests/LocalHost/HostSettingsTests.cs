using Microsoft.Extensions.Configuration;
using Twin.LocalHost.Metadata;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

public sealed class HostSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("host-settings-").FullName;

    public HostSettingsTests() => File.WriteAllText(Path.Combine(_directory, HostSettings.FileName), """
        { "version": "2.0", "extensions": { "http": { "routePrefix": "/api/" },
          "queues": { "visibilityTimeout": "00:00:10", "maxDequeueCount": 5, "batchSize": 16 } } }
        """);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void App_settings_override_host_json_values_as_the_functions_host_allows()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01",
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2",
            ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "250",
        }).Build();

        var settings = HostSettings.Read(_directory, configuration);

        Assert.Equal(TimeSpan.FromSeconds(1), settings.Queues.VisibilityTimeout);
        Assert.Equal(2, settings.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Queues.MaxPollingInterval);
        Assert.Equal(16, settings.Queues.BatchSize);
        Assert.Equal("api", settings.RoutePrefix);
    }

    [Fact]
    public void Without_overrides_host_json_is_read_as_written()
    {
        var settings = HostSettings.Read(_directory, new ConfigurationBuilder().Build());

        Assert.Equal(TimeSpan.FromSeconds(10), settings.Queues.VisibilityTimeout);
        Assert.Equal(5, settings.Queues.MaxDequeueCount);
    }
}
