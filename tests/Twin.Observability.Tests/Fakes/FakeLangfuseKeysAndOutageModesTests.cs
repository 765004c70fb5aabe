using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Fakes.Langfuse.Otlp;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>
/// The fake's project route (the keyed call health checks make) and the modes that break one thing only: trace
/// ingestion failing while the rest answers, and keys refused everywhere while the unauthenticated health answers.
/// </summary>
public sealed class FakeLangfuseKeysAndOutageModesTests
{
    [Fact]
    public async Task Projects_answers_the_keys_project_in_the_specs_shape()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var response = await http.GetAsync(langfuse, FakeLangfuse.ProjectsPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var project = Assert.Single((await response.JsonAsync()).GetProperty("data").EnumerateArray());
        Assert.Equal(FakeLangfuse.ProjectId, project.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(project.GetProperty("name").GetString()));
        Assert.Equal((FakeLangfuse.ProjectsPath, 200, true), (Assert.Single(langfuse.RestRequests).Path, langfuse.RestRequests[0].StatusCode, langfuse.RestRequests[0].AuthAccepted));
    }

    [Fact]
    public async Task FailTraces500_fails_trace_ingestion_only()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.FailTraces500;
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var traces = await http.PostAsync(langfuse.TracesEndpoint, EmptyExport());
        using var health = await http.GetAsync(langfuse, "/api/public/health");
        using var projects = await http.GetAsync(langfuse, FakeLangfuse.ProjectsPath);

        Assert.Equal(HttpStatusCode.InternalServerError, traces.StatusCode);
        Assert.Equal((500, FakeLangfuseMode.FailTraces500), (Assert.Single(langfuse.Requests).StatusCode, langfuse.Requests[0].Mode));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, projects.StatusCode);
    }

    [Fact]
    public async Task RefuseKeys_answers_every_keyed_request_401_even_with_the_right_keys()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = FakeLangfuseMode.RefuseKeys;
        using var http = LangfuseRestClient.Authorized(langfuse);

        using var traces = await http.PostAsync(langfuse.TracesEndpoint, EmptyExport());
        using var projects = await http.GetAsync(langfuse, FakeLangfuse.ProjectsPath);
        using var health = await http.GetAsync(langfuse, "/api/public/health");

        Assert.Equal(HttpStatusCode.Unauthorized, traces.StatusCode);
        Assert.False(Assert.Single(langfuse.Requests).AuthAccepted);
        Assert.Equal(HttpStatusCode.Unauthorized, projects.StatusCode);
        Assert.False(Assert.Single(langfuse.RestRequests).AuthAccepted);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        langfuse.Mode = FakeLangfuseMode.Normal;
        using var accepted = await http.GetAsync(langfuse, FakeLangfuse.ProjectsPath);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private static ByteArrayContent EmptyExport()
    {
        var content = new ByteArrayContent(new ExportTraceServiceRequest().ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }
}
