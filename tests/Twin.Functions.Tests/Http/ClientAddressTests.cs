using System.Net;
using Microsoft.AspNetCore.Http;
using Twin.Functions.Http;
using Twin.Observability.Chat;
using Xunit;

namespace Twin.Functions.Tests.Http;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData(0, "203.0.113.9", "10.0.0.1")]
    [InlineData(1, "203.0.113.9", "203.0.113.9")]
    [InlineData(1, "198.51.100.1, 203.0.113.9:443", "203.0.113.9")]
    [InlineData(2, "198.51.100.1, 203.0.113.9, 10.1.1.1", "203.0.113.9")]
    [InlineData(3, "203.0.113.9", "203.0.113.9")]
    [InlineData(1, "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData(1, "not-an-address", "10.0.0.1")]
    [InlineData(1, "", "10.0.0.1")]
    public void The_client_is_the_entry_the_outermost_trusted_proxy_appended(int hops, string forwarded, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
        if (forwarded.Length > 0)
        {
            context.Request.Headers["X-Forwarded-For"] = forwarded;
        }

        Assert.Equal(IPAddress.Parse(expected), ClientAddress.Of(context.Request, hops));
    }

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
}
