using System.Net;
using System.Text;
using Xunit;
using Xunit.Sdk;

namespace Twin.Functions.Tests.OpenApi;

/// <summary>The check every test's client runs on the app's answers (<see cref="AppOpenApi.CheckAsync"/>) can fail.</summary>
public sealed class OpenApiCheckTests
{
    [Theory]
    [InlineData("manage/twins/ada", "manage/twins/{twinId}")]
    [InlineData("manage/datasets/export/formats", "manage/datasets/export/formats")]
    [InlineData("manage/datasets/exports/abc", "manage/datasets/exports/{exportId}")]
    [InlineData("chat/ada/", "chat/{twinId}")]
    public void A_path_finds_its_template_literal_segments_first(string path, string template) =>
        Assert.Equal(template, AppOpenApi.Template(path));

    [Fact]
    public void A_path_the_document_lacks_has_no_template() =>
        Assert.Null(AppOpenApi.Template("no/such/route/here/at/all"));

    [Fact]
    public async Task An_answer_that_breaks_its_schema_fails()
    {
        using var response = Answer(HttpStatusCode.OK, "GET", "/api/manage/twins/ada", """{"id": 42}""", "application/json");

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => AppOpenApi.CheckAsync(response));
        Assert.Contains("GET /manage/twins/{twinId} 200", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undocumented_status_fails()
    {
        using var response = Answer(HttpStatusCode.Conflict, "GET", "/api/health", "{}", "application/json");

        var failure = await Assert.ThrowsAnyAsync<XunitException>(() => AppOpenApi.CheckAsync(response));
        Assert.Contains("409", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_with_the_documented_shape_passes()
    {
        using var response = Answer(HttpStatusCode.NotFound, "GET", "/api/manage/twins/ada",
            """{"type":"about:blank","title":"Not Found","status":404,"detail":"No twin 'ada'.","errorType":"not_found"}""", "application/problem+json");

        await AppOpenApi.CheckAsync(response);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string method, string path, string body, string mediaType) => new(status)
    {
        RequestMessage = new HttpRequestMessage(new HttpMethod(method), new Uri("http://127.0.0.1:5000" + path)),
        Content = new StringContent(body, Encoding.UTF8, mediaType),
    };
}
