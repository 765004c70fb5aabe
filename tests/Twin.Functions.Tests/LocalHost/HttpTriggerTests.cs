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

    [Fact]
    public async Task Requests_are_served_by_the_real_worker_process_through_its_middleware()
    {
        var response = await _probe.Server.Client.GetAsync($"/api/probe/ada/3?code={ProbeApp.FunctionKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("X-Probe-Worker-Pid", out var pid), "the worker middleware's header");
        Assert.Equal(_probe.Server.Worker.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(pid));
        Assert.NotEqual(Environment.ProcessId, _probe.Server.Worker.Process.Id);
    }

    [Fact]
    public async Task The_callers_trace_context_reaches_the_function_and_route_values_come_as_trigger_metadata()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/probe-trace/widget-7");
        request.Headers.Add("traceparent", traceParent);
        request.Headers.Add("tracestate", "vendor=1");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var echo = await (await _probe.Server.Client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        // The invocation's context names the host's own span in the caller's trace, as the Functions host's does; the
        // request the worker serves carries the caller's context as it came.
        var invocation = echo.GetProperty("traceParent").GetString()!;
        Assert.Matches("^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$", invocation);
        Assert.NotEqual(traceParent, invocation);
        Assert.Equal("vendor=1", echo.GetProperty("traceState").GetString());
        Assert.Equal(traceParent, echo.GetProperty("requestTraceParent").GetString());
        Assert.Equal("widget-7", echo.GetProperty("item").GetString());
        // The host appends the caller's address; the worker's forwarded-headers middleware takes it as the remote
        // address, as in Azure, and leaves the hops before it.
        Assert.Equal("127.0.0.1", echo.GetProperty("remoteAddress").GetString());
        Assert.Equal("203.0.113.9", echo.GetProperty("forwardedFor").GetString());
    }

    [Fact]
    public async Task Without_a_callers_trace_context_each_invocation_gets_a_new_one()
    {
        var first = await _probe.Server.Client.GetFromJsonAsync<JsonElement>("/api/probe-trace/a");
        var second = await _probe.Server.Client.GetFromJsonAsync<JsonElement>("/api/probe-trace/b");

        var pattern = "^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$";
        Assert.Matches(pattern, first.GetProperty("traceParent").GetString());
        Assert.Matches(pattern, second.GetProperty("traceParent").GetString());
        Assert.NotEqual(first.GetProperty("traceParent").GetString()![3..35], second.GetProperty("traceParent").GetString()![3..35]);
        Assert.NotEqual(first.GetProperty("invocationId").GetString(), second.GetProperty("invocationId").GetString());
    }

    [Fact]
    public async Task A_caller_that_disconnects_cancels_the_functions_token()
    {
        var tag = Guid.NewGuid().ToString("N");
        using var impatient = _probe.Server.CreateClient(null);
        impatient.Timeout = TimeSpan.FromMilliseconds(500);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.GetAsync($"/api/probe-slow/{tag}/30000"));

        // A deadline, not a delay: the cancellation crosses the host, the gRPC stream and the worker, slow on a loaded CI machine.
        await Eventually.TrueAsync(async () => (await _probe.RecordedAsync()).Cancelled.Contains(tag), TimeSpan.FromSeconds(30), "the cancellation in the worker");
    }
}
