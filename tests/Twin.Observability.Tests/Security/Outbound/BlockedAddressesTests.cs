using System.Net;
using Twin.Observability.Security.Outbound;
using Xunit;

namespace Twin.Observability.Tests.Security.Outbound;

public sealed class BlockedAddressesTests
{
    [Theory]
    // IPv4, first and last of each range where it matters.
    [InlineData("0.0.0.0", BlockedAddresses.Unspecified)]
    [InlineData("0.255.255.255", BlockedAddresses.Unspecified)]
    [InlineData("10.0.0.1", BlockedAddresses.Private)]
    [InlineData("10.255.255.255", BlockedAddresses.Private)]
    [InlineData("100.64.0.1", BlockedAddresses.CarrierGradeNat)]
    [InlineData("100.127.255.254", BlockedAddresses.CarrierGradeNat)]
    [InlineData("127.0.0.1", BlockedAddresses.Loopback)]
    [InlineData("127.255.255.254", BlockedAddresses.Loopback)]
    [InlineData("169.254.0.1", BlockedAddresses.LinkLocal)]
    [InlineData("169.254.255.255", BlockedAddresses.LinkLocal)]
    [InlineData("169.254.169.254", BlockedAddresses.Metadata)]
    [InlineData("168.63.129.16", BlockedAddresses.Metadata)]
    [InlineData("172.16.0.1", BlockedAddresses.Private)]
    [InlineData("172.31.255.255", BlockedAddresses.Private)]
    [InlineData("192.0.0.8", BlockedAddresses.Reserved)]
    [InlineData("192.168.0.1", BlockedAddresses.Private)]
    [InlineData("192.168.255.255", BlockedAddresses.Private)]
    [InlineData("198.18.0.1", BlockedAddresses.Reserved)]
    [InlineData("198.19.255.255", BlockedAddresses.Reserved)]
    [InlineData("224.0.0.1", BlockedAddresses.Multicast)]
    [InlineData("239.255.255.250", BlockedAddresses.Multicast)]
    [InlineData("240.0.0.1", BlockedAddresses.Reserved)]
    [InlineData("254.255.255.255", BlockedAddresses.Reserved)]
    [InlineData("255.255.255.255", BlockedAddresses.Broadcast)]
    // IPv6.
    [InlineData("::", BlockedAddresses.Unspecified)]
    [InlineData("::1", BlockedAddresses.Loopback)]
    [InlineData("0:0:0:0:0:0:0:1", BlockedAddresses.Loopback)]
    [InlineData("fc00::1", BlockedAddresses.Private)]
    [InlineData("fdff:ffff::1", BlockedAddresses.Private)]
    [InlineData("fd00:ec2::254", BlockedAddresses.Metadata)]
    [InlineData("fe80::1", BlockedAddresses.LinkLocal)]
    [InlineData("febf:ffff::1", BlockedAddresses.LinkLocal)]
    [InlineData("fec0::1", BlockedAddresses.SiteLocal)]
    [InlineData("feff::1", BlockedAddresses.SiteLocal)]
    [InlineData("ff02::1", BlockedAddresses.Multicast)]
    [InlineData("ff0e::101", BlockedAddresses.Multicast)]
    [InlineData("100::1", BlockedAddresses.Discard)]
    [InlineData("100::ffff:ffff:ffff:ffff", BlockedAddresses.Discard)]
    [InlineData("2001::1", BlockedAddresses.Teredo)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", BlockedAddresses.Teredo)]
    // IPv6 forms that carry an IPv4 address are judged by it.
    [InlineData("::ffff:127.0.0.1", BlockedAddresses.Loopback)]
    [InlineData("::ffff:7f00:1", BlockedAddresses.Loopback)]
    [InlineData("::ffff:10.1.2.3", BlockedAddresses.Private)]
    [InlineData("::ffff:169.254.169.254", BlockedAddresses.Metadata)]
    [InlineData("::ffff:0.0.0.0", BlockedAddresses.Unspecified)]
    [InlineData("::127.0.0.1", BlockedAddresses.Loopback)]
    [InlineData("::192.168.1.1", BlockedAddresses.Private)]
    [InlineData("64:ff9b::7f00:1", BlockedAddresses.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", BlockedAddresses.Metadata)]
    [InlineData("64:ff9b:1::808:808", BlockedAddresses.Reserved)]
    [InlineData("2002:7f00:1::1", BlockedAddresses.Loopback)]
    [InlineData("2002:a00:1::", BlockedAddresses.Private)]
    [InlineData("2002:a9fe:a9fe::1", BlockedAddresses.Metadata)]
    public void A_blocked_address_is_refused_with_its_reason(string address, string reason)
    {
        var ip = IPAddress.Parse(address);

        Assert.True(BlockedAddresses.IsBlocked(ip));
        Assert.Equal(reason, BlockedAddresses.Reason(ip));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    // Just outside the blocked ranges.
    [InlineData("1.0.0.0")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2a00:1450:4001:800::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("fbff:ffff::1")]
    public void A_public_address_passes(string address)
    {
        var ip = IPAddress.Parse(address);

        Assert.Null(BlockedAddresses.Reason(ip));
        Assert.False(BlockedAddresses.IsBlocked(ip));
    }

    [Fact]
    public void A_scoped_link_local_address_is_still_link_local()
    {
        Assert.Equal(BlockedAddresses.LinkLocal, BlockedAddresses.Reason(new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), scopeid: 2)));
    }

    [Theory]
    [InlineData(BlockedAddresses.Loopback, "a loopback address")]
    [InlineData(BlockedAddresses.Unspecified, "an unspecified address")]
    [InlineData(BlockedAddresses.Metadata, "a metadata address")]
    public void A_reason_reads_as_a_phrase(string reason, string phrase)
    {
        Assert.Equal(phrase, BlockedAddresses.Describe(reason));
    }
}
