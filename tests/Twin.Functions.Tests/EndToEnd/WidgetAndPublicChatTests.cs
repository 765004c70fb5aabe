using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

[Collection(TwinAppCollection.Name)]
public sealed class WidgetAndPublicChatTests(TwinAppFixture app)
{
    private const string Site = "https://shop.example.com";

    private async Task<string> CreateTwinAsync()
    {
        var id = "w-" + Guid.NewGuid().ToString("N")[..12];
        var created = await app.Admin.PostAsJsonAsync("/api/manage/twins", new
        {
            id,
            name = "Widget Twin",
            persona = "I answer shoppers.",
            knowledge = new[] { "Our shop ships parcels every weekday." },
            allowedOrigins = new[] { Site },
        });
        created.EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task The_widget_answers_an_allowed_origin_with_cors_headers_that_expose_the_trace_id()
    {
        var twinId = await CreateTwinAsync();

        var response = await app.Anonymous.SendAsync(Message($"/api/chat-widget/{twinId}", new { message = "When do you ship parcels?", visitorId = "visitor-0001" }, ("Origin", Site)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Site, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("X-Trace-Id", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        Assert.Contains("weekday", (await JsonAsync(response)).GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData(null)]
    public async Task The_widget_refuses_other_origins(string? origin)
    {
        var twinId = await CreateTwinAsync();
        using var request = Message($"/api/chat-widget/{twinId}", new { message = "hi", visitorId = "visitor-0001" });
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await app.Anonymous.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("forbidden", problem.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Widget_and_share_link_chats_with_an_unknown_twin_are_traced_404s()
    {
        var widget = await app.Anonymous.SendAsync(Message("/api/chat-widget/no-such-twin", new { message = "hi", visitorId = "visitor-0001" }, ("Origin", Site)));
        var shared = await app.Anonymous.SendAsync(Message("/api/public/chat/no-such-twin/tws_anything", new { message = "hi" }));

        Assert.Equal("unknown_twin", (await ProblemAssert.IsProblemAsync(widget, HttpStatusCode.NotFound)).GetProperty("errorType").GetString());
        Assert.Matches("^[0-9a-f]{32}$", TraceIdHeader(widget));
        // A share link names a token of that twin; with no such twin there is no such token either.
        await ProblemAssert.IsProblemAsync(shared, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_widget_needs_a_visitor_id()
    {
        var twinId = await CreateTwinAsync();

        var response = await app.Anonymous.SendAsync(Message($"/api/chat-widget/{twinId}", new { message = "hi" }, ("Origin", Site)));

        Assert.Contains("visitorId", ProblemAssert.ErrorFields(await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task The_preflight_allows_the_trace_headers_for_allowed_origins_only()
    {
        var twinId = await CreateTwinAsync();
        using var allowed = new HttpRequestMessage(HttpMethod.Options, $"/api/chat-widget/{twinId}");
        allowed.Headers.Add("Origin", Site);
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = new HttpRequestMessage(HttpMethod.Options, $"/api/chat-widget/{twinId}");
        refused.Headers.Add("Origin", "https://evil.example.com");

        var ok = await app.Anonymous.SendAsync(allowed);
        var no = await app.Anonymous.SendAsync(refused);

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Contains("traceparent", ok.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Contains("POST", ok.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, no.StatusCode);
        Assert.False(no.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_share_link_chats_until_it_is_revoked_and_a_forged_one_never_does()
    {
        var twinId = await CreateTwinAsync();
        var issued = await (await app.Admin.PostAsync($"/api/manage/twins/{twinId}/share-tokens", null)).Content.ReadFromJsonAsync<JsonElement>();
        var path = $"/api/public/chat/{twinId}/{issued.GetProperty("token").GetString()}";

        var before = await app.Anonymous.SendAsync(Message(path, new { message = "When do you ship?" }));
        await app.Admin.DeleteAsync($"/api/manage/twins/{twinId}/share-tokens/{issued.GetProperty("id").GetString()}");
        var after = await app.Anonymous.SendAsync(Message(path, new { message = "When do you ship?" }));
        var forged = await app.Anonymous.SendAsync(Message($"/api/public/chat/{twinId}/tws_forged", new { message = "hi" }));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("forbidden", (await ProblemAssert.IsProblemAsync(after, HttpStatusCode.Forbidden)).GetProperty("errorType").GetString());
        Assert.Equal("unauthorized", (await ProblemAssert.IsProblemAsync(forged, HttpStatusCode.Unauthorized)).GetProperty("errorType").GetString());
    }
}
