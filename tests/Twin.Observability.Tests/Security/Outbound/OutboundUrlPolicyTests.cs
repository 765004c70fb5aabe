using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Security.Outbound;
using Xunit;

namespace Twin.Observability.Tests.Security.Outbound;

public sealed class OutboundUrlPolicyTests
{
    private const string Field = "url";
    private static readonly IPAddress Public = IPAddress.Parse("93.184.216.34");

    [Theory]
    [InlineData("https://2130706433/", BlockedAddresses.Loopback)]
    [InlineData("https://0x7f000001/", BlockedAddresses.Loopback)]
    [InlineData("https://017700000001/", BlockedAddresses.Loopback)]
    [InlineData("https://0177.0.0.1/", BlockedAddresses.Loopback)]
    [InlineData("https://127.1/", BlockedAddresses.Loopback)]
    [InlineData("https://127.0.1:8443/hook", BlockedAddresses.Loopback)]
    [InlineData("https://0x7f.1/", BlockedAddresses.Loopback)]
    [InlineData("https://0x7F.0x0.0x0.0x1/", BlockedAddresses.Loopback)]
    [InlineData("https://127.0.0.1./", BlockedAddresses.Loopback)]
    [InlineData("https://10.1/", BlockedAddresses.Private)]
    [InlineData("https://192.168.257/", BlockedAddresses.Private)]
    [InlineData("https://0xa9fea9fe/latest/meta-data/", BlockedAddresses.Metadata)]
    [InlineData("https://169.254.169.254/latest/meta-data/", BlockedAddresses.Metadata)]
    [InlineData("https://0/", BlockedAddresses.Unspecified)]
    [InlineData("https://[::1]/", BlockedAddresses.Loopback)]
    [InlineData("https://[0:0:0:0:0:0:0:1]/", BlockedAddresses.Loopback)]
    [InlineData("https://[::ffff:127.0.0.1]/", BlockedAddresses.Loopback)]
    [InlineData("https://[::ffff:7f00:1]/", BlockedAddresses.Loopback)]
    [InlineData("https://[::ffff:a9fe:a9fe]/", BlockedAddresses.Metadata)]
    [InlineData("https://[64:ff9b::7f00:1]/", BlockedAddresses.Loopback)]
    [InlineData("https://[2002:7f00:1::1]/", BlockedAddresses.Loopback)]
    [InlineData("https://[fe80::1%25eth0]/", BlockedAddresses.LinkLocal)]
    [InlineData("https://[fd00:ec2::254]/", BlockedAddresses.Metadata)]
    [InlineData("https://[::]/", BlockedAddresses.Unspecified)]
    public async Task An_address_literal_in_any_spelling_is_refused_whatever_Uri_makes_of_it(string url, string reason)
    {
        // DNS answers a public address for anything, so only the reading of the literal itself can refuse these.
        var resolver = ScriptedResolver.Always(Public);
        var errors = new ValidationErrors();

        Assert.False(await Policy(resolver).ValidateAsync(url, Field, errors, OutboundTestbed.Deadline()));

        var message = Assert.Single(errors.ToDictionary()[Field]);
        Assert.Contains(BlockedAddresses.Describe(reason), message, StringComparison.Ordinal);
        Assert.Contains("Outbound:AllowedHosts", message, StringComparison.Ordinal);
        Assert.Empty(resolver.Lookups);
    }

    [Fact]
    public async Task A_public_https_url_passes()
    {
        var errors = new ValidationErrors();

        Assert.True(await Policy(ScriptedResolver.Always(Public)).ValidateAsync("https://hooks.example.com/alerts?x=1", Field, errors, OutboundTestbed.Deadline()));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public async Task Plain_http_is_refused_for_a_host_that_is_not_allowed()
    {
        var errors = new ValidationErrors();

        Assert.False(await Policy(ScriptedResolver.Always(Public)).ValidateAsync("http://hooks.example.com/alerts", Field, errors, OutboundTestbed.Deadline()));
        Assert.Contains("https", Assert.Single(errors.ToDictionary()[Field]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "127.0.0.1")]
    [InlineData("http://LocalHost:8080/hook", "localhost")]
    [InlineData("https://receiver.internal/hook", "RECEIVER.internal")]
    [InlineData("http://[::1]:8080/hook", "::1")]
    [InlineData("http://[::1]:8080/hook", "[::1]")]
    public async Task An_allowed_host_may_use_http_and_a_private_address(string url, string allowedHost)
    {
        var errors = new ValidationErrors();
        var policy = Policy(ScriptedResolver.Always(IPAddress.Loopback), allowedHost);

        Assert.True(await policy.ValidateAsync(url, Field, errors, OutboundTestbed.Deadline()));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public async Task Allowing_one_host_does_not_allow_its_subdomains_or_parents()
    {
        var policy = Policy(ScriptedResolver.Always(IPAddress.Loopback), "receiver.internal");

        Assert.False(await policy.ValidateAsync("https://evil.receiver.internal/", Field, new ValidationErrors(), OutboundTestbed.Deadline()));
        Assert.False(await policy.ValidateAsync("https://internal/", Field, new ValidationErrors(), OutboundTestbed.Deadline()));
    }

    [Theory]
    [InlineData("https://user:pass@example.com/")]
    [InlineData("https://user@example.com/")]
    [InlineData("https://@example.com/")]
    [InlineData("https://user:pass@127.0.0.1/")]
    public async Task User_info_is_refused(string url)
    {
        var errors = new ValidationErrors();

        // Even for an allowed host: credentials do not belong in a URL.
        Assert.False(await Policy(ScriptedResolver.Always(Public), "127.0.0.1").ValidateAsync(url, Field, errors, OutboundTestbed.Deadline()));
        Assert.Contains(errors.ToDictionary()[Field], m => m.Contains("user info", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "is required.")]
    [InlineData("", "is required.")]
    [InlineData("   ", "is required.")]
    [InlineData("not a url", "must be an absolute https URL.")]
    [InlineData("/relative/path", "must be an absolute https URL.")]
    [InlineData("relative/path", "must be an absolute https URL.")]
    [InlineData("//example.com/path", "must be an absolute https URL.")]
    [InlineData("ftp://example.com/file", "must be an absolute https URL.")]
    [InlineData("file:///etc/passwd", "must be an absolute https URL.")]
    [InlineData("gopher://127.0.0.1:6379/_INFO", "must be an absolute https URL.")]
    [InlineData("javascript:alert(1)", "must be an absolute https URL.")]
    [InlineData("https://", "must be an absolute https URL.")]
    [InlineData("https:///path", "must be an absolute https URL.")]
    [InlineData("https://exa mple.com/", "must be an absolute https URL.")]
    public async Task Garbage_and_relative_urls_are_refused(string? url, string message)
    {
        var errors = new ValidationErrors();

        Assert.False(await Policy(ScriptedResolver.Always(Public)).ValidateAsync(url, Field, errors, OutboundTestbed.Deadline()));
        Assert.Equal([message], errors.ToDictionary()[Field]);
    }

    [Fact]
    public async Task An_overlong_url_is_refused_before_dns()
    {
        var resolver = ScriptedResolver.Always(Public);
        var errors = new ValidationErrors();

        Assert.False(await Policy(resolver).ValidateAsync("https://example.com/" + new string('a', OutboundUrlPolicy.MaxUrlLength), Field, errors, OutboundTestbed.Deadline()));
        Assert.Empty(resolver.Lookups);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_with_real_dns()
    {
        var errors = new ValidationErrors();

        Assert.False(await Policy(new DnsHostAddressResolver()).ValidateAsync("https://localhost/hook", Field, errors, OutboundTestbed.Deadline()));

        var message = Assert.Single(errors.ToDictionary()[Field]);
        Assert.StartsWith("resolves to ", message, StringComparison.Ordinal);
        Assert.Contains("a loopback address", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_is_refused_when_any_of_its_addresses_is_blocked()
    {
        var resolver = ScriptedResolver.Always(IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.5"));
        var errors = new ValidationErrors();

        Assert.False(await Policy(resolver).ValidateAsync("https://mixed.example.com/", Field, errors, OutboundTestbed.Deadline()));
        Assert.Equal(
            ["resolves to 10.0.0.5, a private address; outbound calls may not reach private networks (allow the host in Outbound:AllowedHosts)."],
            errors.ToDictionary()[Field]);

        var refused = await Assert.ThrowsAsync<OutboundAddressRefusedException>(() => Policy(resolver).CheckedAddressesAsync("mixed.example.com", OutboundTestbed.Deadline()));
        Assert.Equal("mixed.example.com", refused.Host);
        Assert.Equal(IPAddress.Parse("10.0.0.5"), refused.Address);
        Assert.Equal(BlockedAddresses.Private, refused.Reason);
        Assert.Contains("10.0.0.5", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused()
    {
        var errors = new ValidationErrors();

        Assert.False(await Policy(new ScriptedResolver([null])).ValidateAsync("https://nowhere.example.com/", Field, errors, OutboundTestbed.Deadline()));
        Assert.StartsWith("does not resolve", Assert.Single(errors.ToDictionary()[Field]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_time_checking_returns_every_address_of_a_clean_or_allowed_host()
    {
        var addresses = new[] { IPAddress.Parse("8.8.8.8"), IPAddress.Parse("2001:4860:4860::8888") };
        Assert.Equal(addresses, await Policy(ScriptedResolver.Always(addresses)).CheckedAddressesAsync("dns.example", OutboundTestbed.Deadline()));

        var loopback = new[] { IPAddress.Loopback };
        Assert.Equal(loopback, await Policy(ScriptedResolver.Always(loopback), "receiver.internal").CheckedAddressesAsync("receiver.internal", OutboundTestbed.Deadline()));

        var resolver = ScriptedResolver.Always(IPAddress.Loopback);
        Assert.Equal([IPAddress.Parse("8.8.8.8")], await Policy(resolver).CheckedAddressesAsync("8.8.8.8", OutboundTestbed.Deadline()));
        Assert.Empty(resolver.Lookups);
    }

    [Fact]
    public void Options_refuse_a_url_or_a_wildcard_as_an_allowed_host()
    {
        var options = new OutboundOptions { AllowedHosts = ["receiver.internal", "https://receiver.internal", "*.internal", " "] };

        var results = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();

        Assert.Equal(3, results.Count);
        Assert.Contains(results, r => r!.StartsWith("Outbound:AllowedHosts:1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_options_fail_when_read()
    {
        var services = new ServiceCollection()
            .AddOutboundGuard(new ConfigurationBuilder()
                .AddInMemoryCollection([KeyValuePair.Create("Outbound:AllowedHosts:0", (string?)"*.internal")])
                .Build())
            .BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OutboundOptions>>().Value);
    }

    private static OutboundUrlPolicy Policy(IHostAddressResolver resolver, params string[] allowedHosts) =>
        OutboundTestbed.Services(resolver, allowedHosts).GetRequiredService<OutboundUrlPolicy>();
}
