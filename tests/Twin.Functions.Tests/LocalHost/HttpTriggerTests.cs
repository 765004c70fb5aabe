using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

[Collection(AzuriteCollection.Name)]
public sealed class HttpTriggerTests : IAsyncLifetime
{
    private ProbeApp _probe = null!;

    public async Task InitializeAsync() => _probe = await ProbeApp.StartAsync();

    public async Task DisposeAsync() => await _probe.DisposeAsync();

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-key", HttpStatusCode.Unauthorized)]
    [InlineData(ProbeApp.FunctionKey, HttpStatusCode.OK)]
    [InlineData(ProbeApp.HostKey, HttpStatusCode.OK)]
    [InlineData(ProbeApp.MasterKey, HttpStatusCode.OK)]
    public async Task Function_level_routes_need_a_function_host_or_master_key_in_the_header(string? key, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/probe/ada/3");
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        Assert.Equal(expected, (await _probe.Server.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_key_may_come_as_the_code_query_parameter()
    {
        var response = await _probe.Server.Client.GetAsync($"/api/probe/ada/3?code={ProbeApp.FunctionKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(ProbeApp.FunctionKey, HttpStatusCode.Unauthorized)]
    [InlineData(ProbeApp.HostKey, HttpStatusCode.Unauthorized)]
    [InlineData(ProbeApp.MasterKey, HttpStatusCode.OK)]
    public async Task Admin_level_routes_take_only_the_master_key(string key, HttpStatusCode expected)
    {
        Assert.Equal(expected, (await _probe.Server.Client.GetAsync($"/api/probe-admin?code={key}")).StatusCode);
    }

    [Fact]
    public async Task Route_and_query_values_bind_to_parameters_by_name_and_type()
    {
        var echo = await _probe.Server.Client.GetFromJsonAsync<JsonElement>($"/api/probe/grace/42?note=hello&code={ProbeApp.FunctionKey}");

        Assert.Equal("grace", echo.GetProperty("name").GetString());
        Assert.Equal(42, echo.GetProperty("count").GetInt32());
        Assert.Equal("hello", echo.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Route_constraints_and_methods_are_enforced()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _probe.Server.Client.GetAsync($"/api/probe/grace/many?code={ProbeApp.FunctionKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _probe.Server.Client.PostAsync($"/api/probe/grace/1?code={ProbeApp.FunctionKey}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _probe.Server.Client.GetAsync($"/probe/grace/1?code={ProbeApp.FunctionKey}")).StatusCode);
    }
}
