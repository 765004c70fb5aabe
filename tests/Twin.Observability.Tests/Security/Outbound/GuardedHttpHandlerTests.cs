using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Common;
using Twin.Observability.Security.Outbound;
using Xunit;

namespace Twin.Observability.Tests.Security.Outbound;

/// <summary>The guarded client against a real listener on 127.0.0.1: what the connect callback lets through and what it stops.</summary>
public sealed class GuardedHttpHandlerTests
{
    private static readonly IPAddress Public = IPAddress.Parse("93.184.216.34");

    [Fact]
    public async Task A_name_rebound_to_loopback_after_it_was_saved_never_gets_a_connection()
    {
        await using var server = new LoopbackHttpServer(LoopbackHttpServer.Ok("internal secrets"));
        // The attacker's DNS answers a public address when the URL is saved, and loopback when it is called.
        var resolver = new ScriptedResolver([Public], [IPAddress.Loopback]);
        await using var services = OutboundTestbed.Services(resolver);
        var url = $"https://rebind.example.com:{server.Port}/hook";
        var errors = new ValidationErrors();

        Assert.True(await services.GetRequiredService<OutboundUrlPolicy>().ValidateAsync(url, "url", errors, OutboundTestbed.Deadline()));
        Assert.True(errors.IsEmpty);

        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundTestbed.ClientName);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(url), OutboundTestbed.Deadline()));

        var refused = Assert.IsType<OutboundAddressRefusedException>(failure.InnerException);
        Assert.Equal("rebind.example.com", refused.Host);
        Assert.Equal(IPAddress.Loopback, refused.Address);
        Assert.Equal(BlockedAddresses.Loopback, refused.Reason);
        Assert.Equal(2, resolver.Lookups.Count);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0x7f.1:{0}/")]
    [InlineData("http://[::1]:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    public async Task An_address_literal_is_checked_at_connect_time_too(string urlFormat)
    {
        await using var server = new LoopbackHttpServer(LoopbackHttpServer.Ok("internal secrets"));
        await using var services = OutboundTestbed.Services(ScriptedResolver.Always(Public));
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundTestbed.ClientName);

        // Never validated: a URL that skipped the save-time check still cannot reach loopback.
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(string.Format(CultureInfo.InvariantCulture, urlFormat, server.Port)), OutboundTestbed.Deadline()));

        Assert.Equal(BlockedAddresses.Loopback, Assert.IsType<OutboundAddressRefusedException>(failure.InnerException).Reason);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task An_allowed_host_reaches_the_loopback_listener()
    {
        await using var server = new LoopbackHttpServer(LoopbackHttpServer.Ok("hello"));
        await using var services = OutboundTestbed.Services(ScriptedResolver.Always(IPAddress.Loopback), "rebind.example.com");
        var url = $"http://rebind.example.com:{server.Port}/hook";

        Assert.True(await services.GetRequiredService<OutboundUrlPolicy>().ValidateAsync(url, "url", new ValidationErrors(), OutboundTestbed.Deadline()));
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundTestbed.ClientName);
        using var response = await client.GetAsync(new Uri(url), OutboundTestbed.Deadline());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync(OutboundTestbed.Deadline()));
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_redirect_is_returned_as_is_not_followed()
    {
        // The redirect points back at the same listener, so following it would show as a second request.
        await using var server = new LoopbackHttpServer("");
        var location = $"http://127.0.0.1:{server.Port}/elsewhere";
        await using var redirecting = new LoopbackHttpServer($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        await using var services = OutboundTestbed.Services(ScriptedResolver.Always(Public), "127.0.0.1");
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundTestbed.ClientName);

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{redirecting.Port}/hook"), OutboundTestbed.Deadline());

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri(location), response.Headers.Location);
        Assert.Equal(1, redirecting.Requests);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task The_handler_follows_no_redirects_uses_no_proxy_and_recycles_connections()
    {
        await using var services = OutboundTestbed.Services(ScriptedResolver.Always(Public));
        using var handler = services.GetRequiredService<OutboundUrlPolicy>().CreateHandler();

        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseProxy);
        Assert.False(handler.UseCookies);
        Assert.NotNull(handler.ConnectCallback);
        Assert.Equal(TimeSpan.FromSeconds(10), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), handler.PooledConnectionLifetime);
    }
}
