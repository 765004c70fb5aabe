using Microsoft.Extensions.Configuration;
using Twin.LocalHost.Metadata;
using Twin.LocalHost.Triggers;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

/// <summary>
/// The local host refuses at start-up what the Functions host refuses, so such an app never reaches Azure. The
/// functions are the probe app's as its build describes them, with one more added.
/// </summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("admin/status")]
    [InlineData("administration")]
    [InlineData("Admin/twins/{id}")]
    public void A_route_starting_with_admin_is_refused(string route)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SelectWithExtraRoute(route, "get"));

        Assert.Contains("conflicts with one or more built in routes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mode_other_than_the_worker_is_refused_and_the_worker_mode_is_accepted()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Twin.LocalHost.LocalFunctionsHost.Build(ProbeApp.Definition, [], new Dictionary<string, string?> { ["LocalHost:Mode"] = "inprocess" }));
        Assert.Contains("LocalHost:Mode=inprocess is not supported", error.Message, StringComparison.Ordinal);

        // Built, not started: no worker runs.
        using var host = Twin.LocalHost.LocalFunctionsHost.Build(ProbeApp.Definition, [], new Dictionary<string, string?> { ["LocalHost:Mode"] = "worker" });
        Assert.NotNull(host);
    }

    [Fact]
    public void A_second_function_on_the_same_route_and_method_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SelectWithExtraRoute("probe/{other}/{n:int}", "get"));

        Assert.Contains("already claimed by function 'KeyedEcho'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_route_with_another_method_or_admin_later_in_the_path_is_accepted()
    {
        Assert.Contains(SelectWithExtraRoute("probe/{other}/{n:int}", "post"), f => f.Name == "Extra");
        Assert.Contains(SelectWithExtraRoute("manage/admin", "get"), f => f.Name == "Extra");
    }

    [Fact]
    public void A_trigger_the_host_cannot_run_is_refused_by_name()
    {
        var functions = ProbeFunctions().Append(new FunctionMetadata
        {
            Name = "OnBlob",
            Bindings = [new BindingMetadata { Name = "blob", Type = "blobTrigger", Direction = "In" }],
        }).ToList();

        var error = Assert.Throws<NotSupportedException>(() => Selector().Select(functions));

        Assert.Contains("'OnBlob'", error.Message, StringComparison.Ordinal);
        Assert.Contains("blobTrigger", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_function_is_left_out()
    {
        var selected = Selector(("AzureWebJobs.KeyedEcho.Disabled", "true")).Select(ProbeFunctions());

        Assert.DoesNotContain(selected, f => f.Name == "KeyedEcho");
        Assert.Contains(selected, f => f.Name == "AdminOnly");
    }

    private static IReadOnlyList<FunctionMetadata> SelectWithExtraRoute(string route, string method)
    {
        var functions = ProbeFunctions().ToList();
        var keyed = functions.Single(f => f.Name == "KeyedEcho");
        functions.Add(keyed with
        {
            Name = "Extra",
            Bindings = [keyed.Trigger with { Route = route, Methods = [method] }, .. keyed.Bindings.Where(b => !b.IsTrigger)],
        });
        return Selector().Select(functions);
    }

    private static IReadOnlyList<FunctionMetadata> ProbeFunctions() => FunctionMetadataReader.Read(ProbeApp.Definition.AppDirectory);

    private static FunctionSelector Selector(params (string Key, string? Value)[] extra)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ProbeApp.Settings(storage: "UseDevelopmentStorage=true"))
            .AddInMemoryCollection(extra.Select(e => KeyValuePair.Create(e.Key, e.Value)))
            .Build();
        return new FunctionSelector(configuration, HostSettings.Read(ProbeApp.Definition.AppDirectory, configuration));
    }
}
