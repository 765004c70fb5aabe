using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Twin.Functions.Widget;

/// <summary>
/// Serves <c>twin-chat.js</c>, the browser client that starts a W3C trace per message (API.md "Frontend trace ids").
/// Anonymous: pages on any origin load it with a script tag.
/// </summary>
public static class WidgetFunctions
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(WidgetFunctions).Assembly.GetManifestResourceStream("twin-chat.js")
            ?? throw new InvalidOperationException("twin-chat.js is not embedded in the Functions assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    [Function("WidgetScript")]
    public static IResult TwinChatScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "widget/twin-chat.js")] HttpRequest req)
    {
        req.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        req.HttpContext.Response.Headers.AccessControlAllowOrigin = "*";
        return TypedResults.Text(Script.Value, "text/javascript; charset=utf-8");
    }
}
