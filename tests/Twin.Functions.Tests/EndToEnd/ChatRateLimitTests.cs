using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// Chat rate limits by keys a caller cannot reset: client address (from the trusted hops of X-Forwarded-For), twin,
/// refused credentials per address, and per user; each app here sets its own low limits.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChatRateLimitTests
{
    private const string Site = "https://a.example";

    [Fact]
    public async Task A_widget_visitor_over_the_limit_gets_429_with_retry_after_while_others_go_on()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:VisitorPerMinute", "2"));
        var twinId = await CreateTwinAsync(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await server.Client.SendAsync(Widget(twinId, "visitor-aaaa"))).StatusCode);
        }

        var limited = await server.Client.SendAsync(Widget(twinId, "visitor-aaaa"));
        var other = await server.Client.SendAsync(Widget(twinId, "visitor-bbbb"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await AssertRateLimitedAsync(limited);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task New_visitor_ids_from_one_address_do_not_reset_the_limit_and_the_429_keeps_cors()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:ClientAddressPerMinute", "3"));
        var twinId = await CreateTwinAsync(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await server.Client.SendAsync(Widget(twinId, $"visitor-{Guid.NewGuid():N}"))).StatusCode);
        }

        var limited = await server.Client.SendAsync(Widget(twinId, $"visitor-{Guid.NewGuid():N}"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await AssertRateLimitedAsync(limited);
        Assert.Equal(Site, limited.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Retry-After", limited.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    // Two trusted hops, as in Azure: the test plays the front end (it writes the entry the front end would append) and
    // the local host is the Functions host, whose entry the worker's forwarded-headers step makes the connection's address.
    [Fact]
    public async Task Behind_a_front_end_and_the_host_the_address_the_front_end_appended_is_the_client_and_what_the_caller_prepended_is_ignored()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:ClientAddressPerMinute", "2"), ("Http:TrustedProxyHops", "2"));
        var twinId = await CreateTwinAsync(server);

        // The caller varies the entries it wrote itself; the front end appended the same address each time.
        var spoofed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            spoofed.Add((await server.Client.SendAsync(Widget(twinId, $"visitor-{i:D4}-aaaa", ("X-Forwarded-For", $"10.9.8.{i}, 203.0.113.7:50123")))).StatusCode);
        }

        var otherClient = await server.Client.SendAsync(Widget(twinId, "visitor-cccc", ("X-Forwarded-For", "203.0.113.8")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], spoofed);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    // 0: X-Forwarded-For is not read. 3: a count too high for the proxies there are (only the local host appends), so
    // an entry the caller wrote stands where a proxy's should; it must not become the key, the connection's address is.
    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    public async Task Without_trusted_proxies_or_with_fewer_addresses_than_hops_a_forwarded_entry_cannot_reset_the_limit(string hops)
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:ClientAddressPerMinute", "2"), ("Http:TrustedProxyHops", hops));
        var twinId = await CreateTwinAsync(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await server.Client.SendAsync(Widget(twinId, $"visitor-{i:D4}-bbbb", ("X-Forwarded-For", $"198.51.100.{i}")))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_twin_has_a_ceiling_for_anonymous_chats_from_all_addresses_together()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:TwinPerMinute", "3"), ("Http:TrustedProxyHops", "2"));
        var twinId = await CreateTwinAsync(server);
        var otherTwin = await CreateTwinAsync(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await server.Client.SendAsync(Widget(twinId, $"visitor-{i:D4}-dddd", ("X-Forwarded-For", $"203.0.113.{20 + i}")))).StatusCode);
        }

        var elsewhere = await server.Client.SendAsync(Widget(otherTwin, "visitor-eeee", ("X-Forwarded-For", "203.0.113.99")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Guessing_share_tokens_locks_the_address_out_even_with_a_valid_token_but_not_other_addresses()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:FailedCredentialsPerMinute", "3"), ("Http:TrustedProxyHops", "2"));
        using var admin = server.CreateClient(TestKeys.Admin);
        var twinId = await CreateTwinAsync(server);
        var token = (await (await admin.PostAsync($"/api/manage/twins/{twinId}/share-tokens", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        HttpRequestMessage Share(string presented, string address) =>
            Message($"/api/public/chat/{twinId}/{presented}", new { message = "hi" }, ("X-Forwarded-For", address));

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            guesses.Add((await server.Client.SendAsync(Share($"tws_guess{i}", "203.0.113.50"))).StatusCode);
        }

        var lockedOut = await server.Client.SendAsync(Share(token!, "203.0.113.50"));
        var elsewhere = await server.Client.SendAsync(Share(token!, "203.0.113.51"));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], guesses);
        await AssertRateLimitedAsync(lockedOut);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Share_token_guesses_sent_at_once_are_bounded_by_the_address_limit()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:ClientAddressPerMinute", "2"), ("Chat:RateLimits:FailedCredentialsPerMinute", "100"));
        var twinId = await CreateTwinAsync(server);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            server.Client.SendAsync(Message($"/api/public/chat/{twinId}/tws_parallel{i}", new { message = "hi" }))));

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(4, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task The_widget_preflight_takes_the_address_limit_before_reading_the_twin()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:ClientAddressPerMinute", "1"));
        var twinId = await CreateTwinAsync(server);
        HttpRequestMessage Preflight()
        {
            var request = new HttpRequestMessage(HttpMethod.Options, $"/api/chat-widget/{twinId}");
            request.Headers.Add("Origin", Site);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return request;
        }

        var first = await server.Client.SendAsync(Preflight());
        var second = await server.Client.SendAsync(Preflight());

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await AssertRateLimitedAsync(second, traced: false);
    }

    [Fact]
    public async Task A_signed_in_user_is_limited_per_user_and_wrong_keys_per_address()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimits:UserPerMinute", "2"), ("Chat:RateLimits:FailedCredentialsPerMinute", "2"));
        using var user = server.CreateClient(TestKeys.User);
        using var wrong = server.CreateClient(TestKeys.User + "-wrong");

        var chats = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            chats.Add((await user.SendAsync(Message("/api/chat/demo", new { message = "hello" }))).StatusCode);
        }

        var wrongKeys = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            wrongKeys.Add((await wrong.SendAsync(Message("/api/chat/demo", new { message = "hello" }))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], chats);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], wrongKeys);
    }

    private static HttpRequestMessage Widget(string twinId, string visitor, params (string Header, string Value)[] headers) =>
        Message($"/api/chat-widget/{twinId}", new { message = "hi", visitorId = visitor }, [("Origin", Site), .. headers]);

    private static async Task<string> CreateTwinAsync(LocalHostServer server)
    {
        using var admin = server.CreateClient(TestKeys.Admin);
        var twinId = "rl-" + Guid.NewGuid().ToString("N")[..12];
        (await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "RL", persona = "p", allowedOrigins = new[] { Site } })).EnsureSuccessStatusCode();
        return twinId;
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response, bool traced = true)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem.GetProperty("errorType").GetString());
        if (traced)
        {
            Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        }

        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }
}
