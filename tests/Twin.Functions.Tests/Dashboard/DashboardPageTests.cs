using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Twin.Functions.Dashboard;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>The dashboard page as served: no inline script or style, only allow-listed assets, revalidation by ETag.</summary>
[Collection(TwinAppCollection.Name)]
public sealed partial class DashboardPageTests(TwinAppFixture app)
{
    [Fact]
    public async Task The_page_has_no_inline_script_style_or_handler_and_loads_only_allow_listed_assets()
    {
        var html = await app.Anonymous.GetStringAsync("/api/dashboard");

        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, m => Assert.True(m.Groups["src"].Success && string.IsNullOrWhiteSpace(m.Groups["body"].Value), m.Value));
        Assert.DoesNotMatch(InlineStyleOrHandler(), html);
        var assets = AssetLink().Matches(html).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(["chart.umd.min.js", "dashboard.css", "dashboard.js"], assets.Order(StringComparer.Ordinal));
        Assert.Equal(assets.Order(StringComparer.Ordinal), DashboardAssets.Names.Order(StringComparer.Ordinal));
        foreach (var name in assets)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Anonymous.GetAsync($"/api/dashboard/assets/{name}")).StatusCode);
        }
    }

    [Theory]
    [InlineData("chart.umd.min.js.map")]
    [InlineData("dashboard.html")]
    [InlineData("twin-chat.js")]
    [InlineData("..%2Fhost.json")]
    [InlineData("DASHBOARD.JS")]
    public async Task An_asset_off_the_allow_list_is_404(string name)
    {
        var response = await app.Anonymous.GetAsync($"/api/dashboard/assets/{name}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, name);
    }

    [Theory]
    [InlineData("/api/dashboard")]
    [InlineData("/api/dashboard/assets/chart.umd.min.js")]
    public async Task The_page_and_its_assets_are_revalidated_by_etag(string path)
    {
        var first = await app.Anonymous.GetAsync(path);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\""));

        var notModified = await app.Anonymous.SendAsync(again);
        var changed = await app.Anonymous.SendAsync(stale);

        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.True(first.Headers.CacheControl?.NoCache, path);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task The_page_with_a_trailing_slash_sends_the_browser_to_the_page_itself()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Server.BaseAddress };

        var response = await client.GetAsync("/api/dashboard/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Relative, so it also holds behind a gateway that moves /api: /api/dashboard/ + ../dashboard = /api/dashboard.
        Assert.Equal("../dashboard", response.Headers.Location?.OriginalString);
        Assert.Equal("/api/dashboard", new Uri(new Uri(app.Server.BaseAddress, "/api/dashboard/"), response.Headers.Location!).AbsolutePath);
    }

    [GeneratedRegex(@"<script(?:\s+src=""(?<src>[^""]+)"")?[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<style|\sstyle=|\son[a-z]+=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();

    [GeneratedRegex(@"(?:src|href)=""dashboard/assets/(?<name>[^""]+)""")]
    private static partial Regex AssetLink();
}
