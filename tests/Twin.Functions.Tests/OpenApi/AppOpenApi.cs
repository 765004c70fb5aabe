using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace Twin.Functions.Tests.OpenApi;

/// <summary>
/// The app's own OpenAPI document (<c>src/Twin.Functions/openapi.json</c>, read from the built app as
/// <c>GET /api/openapi.json</c> serves it) and a check of real answers against its response schemas:
/// <see cref="AssertMatchesAsync"/> fails a test whose response does not match the documented status, content type or schema.
/// </summary>
public static class AppOpenApi
{
    private static readonly Lazy<JsonObject> Spec = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };
    private static readonly Lazy<List<(string Route, string[] Segments)>> Templates = new(() =>
        [.. Document["paths"]!.AsObject().Select(p => p.Key.TrimStart('/')).Select(r => (r, r.Split('/')))]);

    public static JsonObject Document => Spec.Value;

    /// <summary>The document's text, exactly as embedded in the app.</summary>
    public static string Text()
    {
        using var stream = typeof(Twin.Functions.Operations.OpenApiFunctions).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded in Twin.Functions.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The documented (path, method) pairs: paths without the leading slash, as functions.metadata writes routes.</summary>
    public static IEnumerable<(string Route, string Method)> Operations =>
        from path in Document["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace"
        select (path.Key.TrimStart('/'), op.Key.ToUpperInvariant());

    /// <summary>
    /// Checks a real answer of <paramref name="method"/> <paramref name="route"/> (the route template, e.g.
    /// <c>manage/twins/{twinId}</c>) against the document: its status must be documented (or covered by <c>default</c>),
    /// its content type must be one the response declares, and a JSON body must match the schema.
    /// </summary>
    public static async Task AssertMatchesAsync(string method, string route, HttpResponseMessage response)
    {
        var operation = Document["paths"]?["/" + route]?[method.ToLowerInvariant()]?.AsObject();
        Assert.True(operation is not null, $"The OpenAPI document has no {method} /{route}.");
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var responses = operation!["responses"]!.AsObject();
        var documented = responses[status] ?? responses["default"];
        Assert.True(documented is not null, $"{method} /{route} answered {status}, which the document does not list.");
        documented = Resolve(documented!);
        var content = documented["content"]?.AsObject();
        var body = await response.Content.ReadAsStringAsync();
        if (content is null || content.Count == 0)
        {
            Assert.True(body.Length == 0, $"{method} /{route} {status} documents no body but answered: {body}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var entry = content.FirstOrDefault(c => Matches(c.Key, mediaType));
        Assert.True(entry.Value is not null, $"{method} /{route} {status} answered {mediaType}; the document declares {string.Join(", ", content.Select(c => c.Key))}.");
        if (!mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || entry.Value!["schema"] is not { } schema)
        {
            return;
        }

        var key = $"{method} /{route} {status} {entry.Key}";
        var built = Schemas.GetOrAdd(key, _ => Build(schema));
        var errors = Errors(built.Evaluate(JsonDocument.Parse(body).RootElement, Evaluation));
        Assert.True(errors.Count == 0, $"{key} does not match the document:\n{string.Join("\n", errors)}\n{body}");
    }

    /// <summary>
    /// The response check of every app a test starts (<see cref="TwinApp"/>): an answer to a documented operation must
    /// match the document, so every end-to-end test validates what it receives. Streams (server-sent events) are left
    /// to be read as streams; paths the document does not have (the host's own 404s) are not the document's business,
    /// and FunctionsMetadataTests proves every function's route is documented.
    /// </summary>
    public static async Task CheckAsync(HttpResponseMessage response)
    {
        var request = response.RequestMessage!;
        if (request.RequestUri!.AbsolutePath is not ['/', 'a', 'p', 'i', '/', .. var path]
            || Template(path) is not { } route
            || Document["paths"]!["/" + route]![request.Method.Method.ToLowerInvariant()] is null
            || response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return;
        }

        await response.Content.LoadIntoBufferAsync();
        await AssertMatchesAsync(request.Method.Method, route, response);
    }

    /// <summary>The document's path template that <paramref name="path"/> (without <c>/api/</c>) fills, literal segments preferred.</summary>
    public static string? Template(string path)
    {
        var segments = Uri.UnescapeDataString(path.TrimEnd('/')).Split('/');
        return Templates.Value
            .Where(t => t.Segments.Length == segments.Length && t.Segments.Zip(segments).All(p => IsParameter(p.First) || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(t => t.Segments.Count(s => !IsParameter(s)))
            .Select(t => t.Route)
            .FirstOrDefault();
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    /// <summary>Checks a value against <c>#/components/schemas/{name}</c>; the errors, or none.</summary>
    public static IReadOnlyList<string> ValidateComponent(string name, JsonElement value) =>
        Errors(Schemas.GetOrAdd("component " + name, _ => Build(new JsonObject { ["$ref"] = "#/components/schemas/" + name })).Evaluate(value, Evaluation));

    private static bool Matches(string declared, string actual) =>
        declared == "*/*" || string.Equals(declared, actual, StringComparison.OrdinalIgnoreCase);

    private static JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode)Document, (n, segment) => n[segment]!);
        }

        return node;
    }

    /// <summary>OpenAPI 3.1 schemas are JSON Schema 2020-12: the schema plus the document's components as <c>$defs</c>.</summary>
    private static JsonSchema Build(JsonNode schema)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = Document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = document.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        // A registry of its own: the anonymous documents of different operations never see each other.
        return JsonSchema.Build(JsonDocument.Parse(text).RootElement, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static List<string> Errors(EvaluationResults results)
    {
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        foreach (var result in (IEnumerable<EvaluationResults>)[results, .. results.Details ?? []])
        {
            foreach (var (keyword, message) in result.Errors ?? new Dictionary<string, string>())
            {
                errors.Add($"{result.InstanceLocation}: {message} ({keyword} at {result.EvaluationPath})");
            }
        }

        return errors.Count > 0 ? errors : ["does not match the schema"];
    }

    private static JsonObject Load() => JsonNode.Parse(Text())!.AsObject();
}
