using System.Net;
using System.Text.Json;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.OpenApi;

/// <summary>Real answers of the running app match the OpenAPI document it serves.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class OpenApiEndToEndTests(TwinAppFixture app)
{
    [Fact]
    public async Task The_document_is_served_anonymously_as_json_with_this_host_as_server()
    {
        var response = await app.Anonymous.GetAsync(new Uri("/api/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("3.1.0", served.GetProperty("openapi").GetString());
        Assert.Equal(new Uri(app.Anonymous.BaseAddress!, "/api").ToString().TrimEnd('/'), served.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.Equal(
            AppOpenApi.Document["paths"]!.AsObject().Select(p => p.Key),
            served.GetProperty("paths").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_dashboard_page_links_the_document()
    {
        var page = await app.Anonymous.GetStringAsync(new Uri("/api/dashboard", UriKind.Relative));

        // Relative like the page's other links: /api/dashboard + openapi.json is /api/openapi.json.
        Assert.Contains("href=\"openapi.json\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_matches_the_document()
    {
        await AppOpenApi.AssertMatchesAsync("GET", "health", await app.Anonymous.GetAsync(new Uri("/api/health", UriKind.Relative)));
        await AppOpenApi.AssertMatchesAsync("GET", "health", await app.Admin.GetAsync(new Uri("/api/health", UriKind.Relative)));
    }

    [Fact]
    public async Task A_chat_reply_matches_the_document()
    {
        var response = await app.User.SendAsync(Message("/api/chat/demo", new { message = "Which tool do you like for tracing?" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AppOpenApi.AssertMatchesAsync("POST", "chat/{twinId}", response);
    }

    [Fact]
    public async Task A_twin_matches_the_document()
    {
        var response = await app.Admin.GetAsync(new Uri("/api/manage/twins/demo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AppOpenApi.AssertMatchesAsync("GET", "manage/twins/{twinId}", response);
        await AppOpenApi.AssertMatchesAsync("GET", "manage/twins", await app.Admin.GetAsync(new Uri("/api/manage/twins", UriKind.Relative)));
    }

    [Fact]
    public async Task Problems_match_the_document()
    {
        var notFound = await app.Admin.GetAsync(new Uri("/api/manage/twins/no-such-twin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        await AppOpenApi.AssertMatchesAsync("GET", "manage/twins/{twinId}", notFound);

        var anonymous = await app.Anonymous.GetAsync(new Uri("/api/manage/twins", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await AppOpenApi.AssertMatchesAsync("GET", "manage/twins", anonymous);
    }

    [Fact]
    public async Task The_export_formats_list_matches_the_document()
    {
        var response = await app.Admin.GetAsync(new Uri("/api/manage/datasets/export/formats", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AppOpenApi.AssertMatchesAsync("GET", "manage/datasets/export/formats", response);
    }

    [Fact]
    public async Task A_response_that_does_not_match_fails()
    {
        using var wrong = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"status":"fine"}""", System.Text.Encoding.UTF8, "application/json") };

        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => AppOpenApi.AssertMatchesAsync("GET", "health", wrong));
        Assert.NotEmpty(AppOpenApi.ValidateComponent("ChatReply", JsonDocument.Parse("""{"traceId":"x"}""").RootElement));
    }
}
