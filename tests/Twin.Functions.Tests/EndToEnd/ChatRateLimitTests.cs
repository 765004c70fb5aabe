using System.Net;
using System.Net.Http.Json;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

[Collection(AzuriteCollection.Name)]
public sealed class ChatRateLimitTests
{
    [Fact]
    public async Task A_widget_visitor_over_the_limit_gets_429_with_retry_after_while_others_go_on()
    {
        await using var server = await TwinApp.StartAsync(("Chat:RateLimitPerMinute", "2"));
        using var admin = server.CreateClient(TestKeys.Admin);
        var twinId = "rl-" + Guid.NewGuid().ToString("N")[..12];
        (await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "RL", persona = "p", allowedOrigins = new[] { "https://a.example" } })).EnsureSuccessStatusCode();
        HttpRequestMessage Send(string visitor) => Message($"/api/chat-widget/{twinId}", new { message = "hi", visitorId = visitor }, ("Origin", "https://a.example"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await server.Client.SendAsync(Send("visitor-aaaa"))).StatusCode);
        }

        var limited = await server.Client.SendAsync(Send("visitor-aaaa"));
        var other = await server.Client.SendAsync(Send("visitor-bbbb"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var problem = await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem.GetProperty("errorType").GetString());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
