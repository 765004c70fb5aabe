using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>The headers that keep answers from being sniffed, cached where they must not be, or left unexplained.</summary>
[Collection(TwinAppCollection.Name)]
public sealed partial class ResponseHeaderTests(TwinAppFixture app)
{
    public static TheoryData<string, string, string> EveryRoute()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (function, route, method, _) in AppMetadata.HttpRoutes)
        {
            data.Add(function, method, "/api/" + RouteParameter().Replace(route, "demo"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRoute))]
    public async Task Every_route_answers_with_nosniff_and_its_invocation_id_whatever_the_outcome(string function, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null };

        var response = await app.Anonymous.SendAsync(request);

        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values), $"{function} ({(int)response.StatusCode}) has no X-Content-Type-Options");
        Assert.Equal("nosniff", values.Single());
        // Written by the worker's middleware from the host's invocation: the answer came through the real worker.
        Assert.True(response.Headers.TryGetValues(Twin.Functions.Http.InvocationIdHeaderMiddleware.Header, out var invocation), $"{function} ({(int)response.StatusCode}) has no invocation id");
        Assert.True(Guid.TryParse(invocation.Single(), out _), invocation.Single());
    }

    [Fact]
    public async Task Chat_replies_and_admin_answers_are_never_cached()
    {
        var chat = await app.User.SendAsync(Message("/api/chat/demo", new { message = "hello" }));
        var refused = await app.Anonymous.SendAsync(Message("/api/chat/demo", new { message = "hello" }));
        var twins = await app.Admin.GetAsync("/api/manage/twins");

        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, twins.StatusCode);
        Assert.All(new[] { chat, refused, twins }, r => Assert.True(r.Headers.CacheControl?.NoStore, $"{r.RequestMessage?.RequestUri} must be no-store"));
    }

    [Fact]
    public async Task A_chat_401_says_which_schemes_sign_a_user_in()
    {
        var response = await app.Anonymous.SendAsync(Message("/api/chat/demo", new { message = "hello" }));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(["Bearer", "ApiKey"], response.Headers.WwwAuthenticate.Select(h => h.Scheme));
    }

    [Fact]
    public async Task The_widget_script_has_an_etag_and_a_matching_if_none_match_gets_304()
    {
        var first = await app.Anonymous.GetAsync("/api/widget/twin-chat.js");
        var etag = first.Headers.ETag;
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/widget/twin-chat.js");
        revalidate.Headers.IfNoneMatch.Add(etag!);
        using var stale = new HttpRequestMessage(HttpMethod.Get, "/api/widget/twin-chat.js");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));

        var notModified = await app.Anonymous.SendAsync(revalidate);
        var changed = await app.Anonymous.SendAsync(stale);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("traceparent", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
