using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Twin.Testing.Fakes.Langfuse.OpenApi;

/// <summary>
/// Langfuse's OpenAPI spec, vendored at <c>Reference/langfuse-openapi.yml</c> beside the test assemblies, as JSON
/// Schemas: the request body of an operation (found by path template and method), its 200 response, or a named
/// component. Parsed once, on first use; each schema is built once and shared (JsonSchema.Net schemas are immutable).
/// </summary>
internal static class LangfuseOpenApi
{
    public const string RelativePath = "Reference/langfuse-openapi.yml";

    private static readonly Lazy<JsonObject> Spec = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };

    /// <summary>
    /// Starts parsing the spec in the background (about a second, once per process), so that a fake's first answer
    /// is not slower than later ones for a client with a short timeout.
    /// </summary>
    public static void Preload() => _ = Task.Run(() => Spec.Value);

    /// <summary>Checks a request body against the operation's <c>requestBody</c> JSON schema; the errors, or none.</summary>
    public static IReadOnlyList<SchemaError> ValidateRequestBody(string method, string pathTemplate, JsonElement body) =>
        Validate($"request {method} {pathTemplate}", () => Operation(method, pathTemplate)["requestBody"]?["content"]?["application/json"]?["schema"], body);

    /// <summary>Checks a 200 response body against the operation's JSON response schema; none if the spec gives none.</summary>
    public static IReadOnlyList<SchemaError> ValidateResponse(string method, string pathTemplate, JsonElement body) =>
        Operation(method, pathTemplate)["responses"]?["200"]?["content"]?["application/json"]?["schema"] is null
            ? []
            : Validate($"response {method} {pathTemplate}", () => Operation(method, pathTemplate)["responses"]!["200"]!["content"]!["application/json"]!["schema"], body);

    /// <summary>Checks a value against <c>#/components/schemas/{name}</c>.</summary>
    public static IReadOnlyList<SchemaError> ValidateComponent(string name, JsonElement value) =>
        Validate($"component {name}", () => new JsonObject { ["$ref"] = "#/components/schemas/" + name }, value);

    private static List<SchemaError> Validate(string key, Func<JsonNode?> schema, JsonElement instance)
    {
        var built = Schemas.GetOrAdd(key, k => new Lazy<JsonSchema>(() => Build(k, schema()), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        var results = built.Evaluate(instance, Evaluation);
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<SchemaError>();
        foreach (var result in (IEnumerable<EvaluationResults>)[results, .. results.Details ?? []])
        {
            foreach (var (keyword, message) in result.Errors ?? new Dictionary<string, string>())
            {
                errors.Add(new SchemaError(result.InstanceLocation.ToString(), $"{message} ({keyword} at {result.EvaluationPath})"));
            }
        }

        return errors.Count > 0 ? errors : [new SchemaError("", "does not match the schema")];
    }

    private static JsonSchema Build(string key, JsonNode? schema)
    {
        if (schema is null)
        {
            throw new InvalidOperationException($"The Langfuse spec defines no JSON schema for {key}.");
        }

        var components = Spec.Value["components"]?["schemas"]?.AsObject() ?? throw new InvalidDataException("The spec has no components/schemas.");
        var document = OpenApiSchemaTranslator.Document(schema, components);
        // A registry of its own: schemas of different operations never see each other's (anonymous) documents.
        return JsonSchema.Build(JsonSerializer.SerializeToElement(document), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static JsonObject Operation(string method, string pathTemplate) =>
        Spec.Value["paths"]?[pathTemplate]?[method.ToLowerInvariant()]?.AsObject()
        ?? throw new InvalidOperationException($"The Langfuse spec has no operation {method} {pathTemplate}.");

    private static JsonObject Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, RelativePath);
        if (!File.Exists(path))
        {
            path = Path.Combine(Path.GetDirectoryName(typeof(LangfuseOpenApi).Assembly.Location) ?? "", RelativePath);
        }

        using var reader = File.OpenText(path);
        return YamlToJson.Read(reader)?.AsObject() ?? throw new InvalidDataException($"{path} is empty.");
    }
}

/// <summary>One way a JSON value breaks a schema: where (a JSON pointer into the value) and what.</summary>
internal readonly record struct SchemaError(string Location, string Message)
{
    /// <summary>The location as a path of property names and indexes, as Zod reports issues.</summary>
    public IReadOnlyList<string> PathSegments => Location.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"{(Location.Length == 0 ? "(root)" : Location)}: {Message}";
}
