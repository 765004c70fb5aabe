using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// Every route in functions.metadata refuses anonymous callers, except the few that are anonymous by contract.
/// Enumerating the metadata means a new route is covered the day it is added.
/// </summary>
[Collection(TwinAppCollection.Name)]
public sealed partial class AuthTests(TwinAppFixture app)
{
    // The dashboard page and its scripts and styles hold no data (the page asks for the admin key and sends it with
    // every read): anonymous, like the widget script and the OpenAPI document (it describes routes, holds no data).
    // Every other dashboard route is admin-only.
    private static readonly HashSet<string> AnonymousByContract = ["Health", "WidgetScript", "DashboardPage", "DashboardAsset", "OpenApiDocument"];

    private static readonly string[] AdminAreas = ["manage/", "metrics/", "dashboard"];

    public static TheoryData<string, string, string> ProtectedRoutes() => Routes(_ => true);

    public static TheoryData<string, string, string> AdminRoutes() => Routes(route => AdminAreas.Any(a => route.StartsWith(a, StringComparison.Ordinal)));

    private static TheoryData<string, string, string> Routes(Func<string, bool> include)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (function, route, method, _) in AppMetadata.HttpRoutes.Where(r => !AnonymousByContract.Contains(r.Function) && include(r.Route)))
        {
            data.Add(function, method, "/api/" + RouteParameter().Replace(route, "demo"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Without_credentials_every_protected_route_refuses_the_caller(string function, string method, string path)
    {
        var response = await app.Anonymous.SendAsync(Request(method, path));

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{function}: {(int)response.StatusCode}");
        await ProblemAssert.IsProblemAsync(response, response.StatusCode, function);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_credentials_every_admin_route_is_401_and_says_how_to_authenticate(string function, string method, string path)
    {
        var response = await app.Anonymous.SendAsync(Request(method, path));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, function);
        Assert.True(response.Headers.WwwAuthenticate.Count > 0, $"{function} must say how to authenticate");
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_wrong_key_is_401(string function, string method, string path)
    {
        using var request = Request(method, path);
        request.Headers.Add("X-Api-Key", TestKeys.Admin + "-wrong");

        await ProblemAssert.IsProblemAsync(await app.Anonymous.SendAsync(request), HttpStatusCode.Unauthorized, function);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_user_key_on_an_admin_route_is_403(string function, string method, string path)
    {
        await ProblemAssert.IsProblemAsync(await app.User.SendAsync(Request(method, path)), HttpStatusCode.Forbidden, function);
    }

    [Fact]
    public async Task The_admin_key_is_accepted_in_the_authorization_header_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/manage/twins/demo");
        request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + TestKeys.Admin);

        var response = await app.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void In_the_dashboard_area_only_the_page_and_its_assets_are_anonymous()
    {
        var dashboard = AppMetadata.HttpRoutes.Where(r => r.Route.StartsWith("dashboard", StringComparison.Ordinal)).Select(r => r.Function).ToList();
        var admin = AdminRoutes().Select(row => (string)row[0]).ToHashSet();

        Assert.Equal(["DashboardAsset", "DashboardPage"], dashboard.Where(AnonymousByContract.Contains).Order(StringComparer.Ordinal));
        Assert.All(dashboard.Where(f => !AnonymousByContract.Contains(f)), f => Assert.Contains(f, admin));
        Assert.Superset(new HashSet<string> { "DashboardOverview", "DashboardRecentTraces", "DashboardActiveAlerts" }, admin);
    }

    [Theory]
    [InlineData("/api/dashboard", "text/html")]
    [InlineData("/api/dashboard/assets/dashboard.js", "text/javascript")]
    [InlineData("/api/dashboard/assets/dashboard.css", "text/css")]
    [InlineData("/api/dashboard/assets/chart.umd.min.js", "text/javascript")]
    public async Task The_dashboard_page_and_its_assets_are_anonymous_with_a_strict_csp_and_nosniff(string path, string mediaType)
    {
        var response = await app.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        foreach (var directive in new[] { "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'" })
        {
            Assert.Contains(directive, csp, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null,
    };

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
