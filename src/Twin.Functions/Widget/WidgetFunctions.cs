using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Twin.Functions.Http;

namespace Twin.Functions.Widget;

/// <summary>
/// Serves <c>twin-chat.js</c>, the browser client that starts a W3C trace per message (API.md "Frontend trace ids").
/// Anonymous: pages on any origin load it with a script tag. A strong ETag (of its content) lets browsers and CDNs
/// revalidate with <c>If-None-Match</c> and get a 304 instead of the script again.
/// </summary>
public static class WidgetFunctions
{
    private static readonly Lazy<(string Text, string ETag)> Script = new(() =>
    {
        using var stream = typeof(WidgetFunctions).Assembly.GetManifestResourceStream("twin-chat.js")
            ?? throw new InvalidOperationException("twin-chat.js is not embedded in the Functions assembly.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return (text, $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}\"");
    });

    [Function("WidgetScript")]
    public static IResult TwinChatScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "widget/twin-chat.js")] HttpRequest req)
    {
        var response = req.HttpContext.Response;
        var (text, etag) = Script.Value;
        ResponseHeaders.Secure(response);
        response.Headers.CacheControl = "public, max-age=300";
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.ETag = etag;
        return Matches(req.Headers.IfNoneMatch, etag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Text(text, "text/javascript; charset=utf-8");
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag) =>
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
}
