using System.Text.Json.Nodes;
using Twin.LocalHost;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.TestFunctions;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

/// <summary>The local host refuses at start-up what the Functions host refuses, so such an app never reaches Azure.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StartupRefusalTests : IDisposable
{
    private readonly string _appDirectory = Path.Combine(Path.GetTempPath(), "twin-refusal-" + Guid.NewGuid().ToString("N"));

    public StartupRefusalTests() => Directory.CreateDirectory(_appDirectory);

    public void Dispose() => Directory.Delete(_appDirectory, recursive: true);

    [Theory]
    [InlineData("admin/status")]
    [InlineData("administration")]
    [InlineData("Admin/twins/{id}")]
    public void A_route_starting_with_admin_is_refused(string route)
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildWithExtraRoute(route, "get"));

        Assert.Contains("conflicts with one or more built in routes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_function_on_the_same_route_and_method_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BuildWithExtraRoute("probe/{other}/{n:int}", "get"));

        Assert.Contains("already claimed by function 'KeyedEcho'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_route_with_another_method_or_admin_later_in_the_path_is_accepted()
    {
        await BuildWithExtraRoute("probe/{other}/{n:int}", "post").DisposeAsync();
        await BuildWithExtraRoute("manage/admin", "get").DisposeAsync();
    }

    private Microsoft.AspNetCore.Builder.WebApplication BuildWithExtraRoute(string route, string method)
    {
        var definition = ProbeApp.Definition(new ProbeRecorder());
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(definition.AppDirectory, FunctionMetadataReader.FileName)))!.AsArray();
        var extra = metadata.Single(f => (string?)f!["name"] == "KeyedEcho")!.DeepClone();
        extra["name"] = "Extra";
        extra["bindings"]![0]!["route"] = route;
        extra["bindings"]![0]!["methods"] = new JsonArray(method);
        metadata.Add(extra);
        File.WriteAllText(Path.Combine(_appDirectory, FunctionMetadataReader.FileName), metadata.ToJsonString());

        return LocalFunctionsHost.Build(
            definition with { AppDirectory = _appDirectory },
            ["--urls", "http://127.0.0.1:0"],
            b => Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(b.Configuration, ProbeApp.Settings("unused-queue")));
    }
}
