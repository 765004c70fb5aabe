using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Twin.Functions.Http;

namespace Twin.Functions.Dashboard;

/// <summary>
/// The dashboard's page, scripts and styles, embedded in the Functions assembly (<c>wwwroot/dashboard/</c>, and
/// Chart.js copied from <c>node_modules</c> by the build). Each answer carries the page's Content-Security-Policy,
/// <c>nosniff</c> and a strong ETag; browsers revalidate (<c>no-cache</c>) and get a 304 while nothing changed, so a
/// new deployment is seen at once.
/// </summary>
public static class DashboardAssets
{
    /// <summary>
    /// Scripts and styles only from this app, requests only to this app, no inline script or style, no plugins, no
    /// framing, no base or form tricks; <c>data:</c> images only for the empty favicon.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Javascript = "text/javascript; charset=utf-8";

    private static readonly Dictionary<string, Lazy<Asset>> Assets = new(StringComparer.Ordinal)
    {
        ["dashboard.js"] = Load("dashboard/dashboard.js", Javascript),
        ["dashboard.css"] = Load("dashboard/dashboard.css", "text/css; charset=utf-8"),
        ["chart.umd.min.js"] = Load("dashboard/chart.umd.min.js", Javascript),
    };

    private static readonly Lazy<Asset> PageAsset = Load("dashboard/dashboard.html", "text/html; charset=utf-8");

    public static Asset Page => PageAsset.Value;

    /// <summary>The names the assets route serves.</summary>
    public static IEnumerable<string> Names => Assets.Keys;

    public static Asset? Find(string? name) => name is not null && Assets.TryGetValue(name, out var asset) ? asset.Value : null;

    public static IResult Serve(HttpRequest request, Asset asset)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(asset);
        var response = request.HttpContext.Response;
        ResponseHeaders.Secure(response);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        return Matches(request.Headers.IfNoneMatch, asset.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static Lazy<Asset> Load(string resource, string contentType) => new(() =>
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in the Functions assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return new Asset(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
    });

    private static bool Matches(StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
}

/// <summary>One embedded file: its bytes, content type and strong ETag.</summary>
public sealed record Asset(ReadOnlyMemory<byte> Content, string ContentType, string ETag);
