using System.Net;
using Twin.Observability.Security.Outbound;
using Xunit;

namespace Twin.Observability.Tests.Security.Outbound;

public sealed class HostLiteralTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("0X7F000001", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0177.0000.0.01", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0x7f.0x0.0x0.0x1", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("10.1", "10.0.0.1")]
    [InlineData("10.0x10203", "10.1.2.3")]
    [InlineData("192.168.257", "192.168.1.1")]
    [InlineData("0xa9fea9fe", "169.254.169.254")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("4294967295", "255.255.255.255")]
    [InlineData("[::1]", "::1")]
    [InlineData("::1", "::1")]
    [InlineData("[0:0:0:0:0:0:0:1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("[fe80::1%eth0]", "fe80::1")]
    [InlineData("[fe80::1%25eth0]", "fe80::1")]
    [InlineData("fe80::1%2", "fe80::1")]
    public void An_address_in_any_spelling_reads_as_that_address(string host, string expected)
    {
        Assert.True(HostLiteral.TryParse(host, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("localhost")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.16777216")]
    [InlineData("1.2.65536")]
    [InlineData("4294967296")]
    [InlineData("0x100000000")]
    [InlineData("08.0.0.1")]
    [InlineData("0x")]
    [InlineData("1..1")]
    [InlineData(".1")]
    [InlineData("0x7g.1")]
    [InlineData("127.0.0.1x")]
    [InlineData("[not-v6]")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_is_not_a_literal(string? host)
    {
        Assert.False(HostLiteral.TryParse(host, out _));
    }
}
