using System.Net;
using Microsoft.AspNetCore.Http;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Xunit;

namespace Twin.Functions.Tests.Http;

/// <summary>
/// The connection's address here (10.0.0.1) plays the front end's: what the worker sees once its ASP.NET Core
/// integration took the Functions host's entry off X-Forwarded-For. Two hops is Azure's front end and host.
/// </summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData(0, "203.0.113.9", "10.0.0.1")]
    [InlineData(1, "203.0.113.9", "10.0.0.1")]
    [InlineData(2, "203.0.113.9", "203.0.113.9")]
    [InlineData(2, "203.0.113.9:443", "203.0.113.9")]
    [InlineData(3, "203.0.113.9, 10.1.1.1", "203.0.113.9")]
    [InlineData(2, "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData(2, "not-an-address", "10.0.0.1")]
    public void The_client_is_the_address_the_outermost_trusted_proxy_appended(int hops, string forwarded, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ClientAddress.Of(Request(forwarded), hops));

    [Theory]
    [InlineData("198.51.100.66, 203.0.113.9")]
    [InlineData("198.51.100.66, 198.51.100.67, 203.0.113.9")]
    [InlineData("198.51.100.66,198.51.100.67 , 198.51.100.68, 203.0.113.9")]
    public void A_caller_who_prepends_entries_is_still_keyed_by_what_the_front_end_appended(string forwarded) =>
        Assert.Equal(IPAddress.Parse("203.0.113.9"), ClientAddress.Of(Request(forwarded), 2));

    [Fact]
    public void Entries_on_several_header_lines_are_one_list()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        context.Request.Headers["X-Forwarded-For"] = new(["198.51.100.66", "203.0.113.9"]);

        Assert.Equal(IPAddress.Parse("203.0.113.9"), ClientAddress.Of(context.Request, 2));
    }

    [Theory]
    [InlineData(2, "")]
    [InlineData(3, "198.51.100.66")]
    [InlineData(4, "198.51.100.66, 198.51.100.67")]
    public void Fewer_addresses_than_hops_key_the_connection_not_an_entry_the_caller_may_have_written(int hops, string forwarded) =>
        Assert.Equal(IPAddress.Parse("10.0.0.1"), ClientAddress.Of(Request(forwarded), hops));

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::9", "2001:db8:1:2::/64")]
    public void Ipv6_clients_are_limited_by_their_64_prefix(string address, string key)
    {
        Assert.Equal(key, ClientAddressKey.Of(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_unknown_address_shares_one_key() => Assert.Equal("unknown", ClientAddressKey.Of(null));

    private static HttpRequest Request(string forwarded)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        if (forwarded.Length > 0)
        {
            context.Request.Headers["X-Forwarded-For"] = forwarded;
        }

        return context.Request;
    }
}
