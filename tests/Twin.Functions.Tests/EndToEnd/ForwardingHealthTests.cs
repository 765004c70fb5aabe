using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// The admin view of health shows the trusted hop count and how many addresses recent requests came through, so a
/// wrong count can be seen. The local host is one proxy; the test plays a front end by writing the entry it would append.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ForwardingHealthTests
{
    [Fact]
    public async Task Admin_health_shows_the_hop_count_and_how_many_addresses_recent_requests_came_through()
    {
        await using var server = await TwinApp.StartAsync(("Http:TrustedProxyHops", "2"));
        using var admin = server.CreateClient(TestKeys.Admin);
        var before = await ForwardingAsync(admin);

        foreach (var forwarded in new[] { null, "203.0.113.7", "198.51.100.1, 203.0.113.7" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
            if (forwarded is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwarded);
            }

            (await server.Client.SendAsync(request)).Dispose();
        }

        var after = await ForwardingAsync(admin);

        Assert.Equal("healthy", after.GetProperty("status").GetString());
        var data = after.GetProperty("data");
        Assert.Equal(2, data.GetProperty("trustedProxyHops").GetInt32());
        // Without a front end's entry (the admin's own request too): 1 address, the local host's; through the
        // "front end": 2; with an entry the caller prepended: 3.
        Assert.Equal(new Dictionary<string, int> { ["1"] = 2, ["2"] = 1, ["3"] = 1 }, Delta(before, after));
        Assert.Equal(4, data.GetProperty("recentRequests").GetInt32() - Data(before).GetProperty("recentRequests").GetInt32());
        Assert.Equal(2, data.GetProperty("fewerAddressesThanHops").GetInt32() - Data(before).GetProperty("fewerAddressesThanHops").GetInt32());
        Assert.Equal(1, data.GetProperty("moreAddressesThanHops").GetInt32() - Data(before).GetProperty("moreAddressesThanHops").GetInt32());
        Assert.Contains("too high", after.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_health_shows_only_the_forwarding_status()
    {
        await using var server = await TwinApp.StartAsync(("Http:TrustedProxyHops", "2"));

        var health = await server.Client.GetFromJsonAsync<JsonElement>("/api/health");

        var forwarding = health.GetProperty("checks").GetProperty("forwarding");
        Assert.Equal(["status"], forwarding.EnumerateObject().Select(p => p.Name));
    }

    private static async Task<JsonElement> ForwardingAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("checks").GetProperty("forwarding");

    private static JsonElement Data(JsonElement forwarding) => forwarding.GetProperty("data");

    private static Dictionary<string, int> Delta(JsonElement before, JsonElement after)
    {
        var old = Data(before).GetProperty("addressesPerRequest").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        return Data(after).GetProperty("addressesPerRequest").EnumerateObject()
            .Select(p => (p.Name, Count: p.Value.GetInt32() - old.GetValueOrDefault(p.Name)))
            .Where(p => p.Count != 0)
            .ToDictionary(p => p.Name, p => p.Count);
    }
}
