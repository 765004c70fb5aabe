using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Twin.Functions.Http;

namespace Twin.Functions.Operations;

/// <summary>
/// <c>GET /api/openapi.json</c> (API.md), anonymous: the OpenAPI 3.1 document of every HTTP function. The document is
/// kept by hand in <c>openapi.json</c> (embedded), parsed once; tests hold it to <c>functions.metadata</c> and validate
/// real answers against its schemas. <c>servers</c> is set per request to this host's <c>/api</c>.
/// </summary>
public static class OpenApiFunctions
{
    private static readonly Lazy<JsonNode> Document = new(() =>
    {
        using var stream = typeof(OpenApiFunctions).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("The openapi.json resource is missing from the build.");
        return JsonNode.Parse(stream) ?? throw new InvalidOperationException("openapi.json is empty.");
    });

    [Function("OpenApiDocument")]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req)
    {
        ArgumentNullException.ThrowIfNull(req);
        var document = Document.Value.DeepClone();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = $"{req.Scheme}://{req.Host.Value}/api" });
        ResponseHeaders.Secure(req.HttpContext.Response);
        req.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(document.ToJsonString(), "application/json; charset=utf-8");
    }
}
