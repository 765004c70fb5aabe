using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;
using Xunit;

namespace Twin.Observability.Tests.Twins;

/// <summary>Where a share link points: the configured public base URL, or in Development a loopback request host, never any other host.</summary>
public sealed class ShareLinksTests
{
    private static ShareLinks Links(string environment, string? publicBaseUrl = null) =>
        new(Options.Create(new TwinsOptions { PublicBaseUrl = publicBaseUrl }), new Environment(environment));

    [Theory]
    [InlineData("localhost:7071", "http://localhost:7071")]
    [InlineData("LocalHost", "http://localhost")]
    [InlineData("127.0.0.1:7071", "http://127.0.0.1:7071")]
    [InlineData("127.200.3.4", "http://127.200.3.4")]
    [InlineData("[::1]:8080", "http://[::1]:8080")]
    public void In_development_a_loopback_request_host_is_used(string host, string origin)
    {
        var url = ShareLinks.Url(Links(Environments.Development).OriginFor("http", host), "demo", "tws_abc");

        Assert.Equal($"{origin}/api/public/chat/demo/tws_abc", url);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("10.0.0.1")]
    [InlineData("[fe80::1]")]
    [InlineData("0.0.0.0")]
    [InlineData("evil.example@localhost")]
    [InlineData("localhost/evil")]
    [InlineData("")]
    public void In_development_any_other_host_is_refused_naming_the_setting(string host)
    {
        var error = Assert.Throws<RequestValidationException>(() => Links(Environments.Development).OriginFor("http", host));

        Assert.Contains("Twins:PublicBaseUrl", error.Errors["Host"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public void A_configured_base_url_wins_over_the_request(string environment)
    {
        var links = Links(environment, "https://twins.example.com/share/");

        Assert.Equal("https://twins.example.com/share/api/public/chat/demo/tws_abc", ShareLinks.Url(links.OriginFor("http", "evil.example"), "demo", "tws_abc"));
    }

    [Fact]
    public void Outside_development_the_request_host_is_never_used_even_if_loopback()
    {
        Assert.Throws<RequestValidationException>(() => Links(Environments.Production).OriginFor("http", "localhost"));
    }

    [Theory]
    [InlineData("Production", null, false)]
    [InlineData("Production", "", false)]
    [InlineData("Staging", "", false)]
    [InlineData("Production", "http://twins.example.com", false)]
    [InlineData("Production", "https://twins.example.com?x=1", false)]
    [InlineData("Production", "not a url", false)]
    [InlineData("Production", "https://twins.example.com", true)]
    [InlineData("Development", null, true)]
    [InlineData("Development", "http://localhost:7071", true)]
    [InlineData("Development", "ftp://twins.example.com", false)]
    public void Start_up_validation_requires_an_https_base_url_outside_development(string environment, string? publicBaseUrl, bool valid)
    {
        var result = new TwinsOptionsValidator(new Environment(environment)).Validate(null, new TwinsOptions { PublicBaseUrl = publicBaseUrl });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Twins:PublicBaseUrl", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
