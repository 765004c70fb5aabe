using System.Text.Json.Nodes;

namespace Twin.Testing.Fakes.Langfuse.OpenApi;

/// <summary>
/// Translates the OpenAPI 3.0 schema dialect into JSON Schema 2020-12: <c>nullable: true</c> lets null through (as a
/// "null" type, an enum member, or an <c>anyOf</c> beside a <c>$ref</c> or combinator), <c>#/components/schemas/X</c>
/// becomes <c>#/$defs/X</c>, boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> become numbers, and keywords JSON
/// Schema lacks (<c>discriminator</c>, <c>example</c>, <c>xml</c>, vendor <c>x-</c> keys…) are dropped. <c>format</c>
/// is kept as an annotation only: it is not asserted.
/// </summary>
internal static class OpenApiSchemaTranslator
{
    private const string ComponentPrefix = "#/components/schemas/";

    private static readonly HashSet<string> Copied =
    [
        "required", "minimum", "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
        "minProperties", "maxProperties", "multipleOf", "title", "description", "default", "format",
    ];

    /// <summary>
    /// A self-contained JSON Schema for <paramref name="schema"/>: the translation, with every component it reaches
    /// (transitively) under <c>$defs</c>.
    /// </summary>
    public static JsonObject Document(JsonNode schema, JsonObject components)
    {
        var pending = new Queue<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Reached(string name)
        {
            if (seen.Add(name))
            {
                pending.Enqueue(name);
            }
        }

        var root = Translate(schema, Reached) switch
        {
            JsonObject translated => translated,
            var other => new JsonObject { ["allOf"] = new JsonArray(other) },
        };
        var defs = new JsonObject();
        while (pending.TryDequeue(out var name))
        {
            var component = components[name] ?? throw new InvalidDataException($"The spec has no component schema '{name}'.");
            defs[name] = Translate(component, Reached);
        }

        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = defs;
        return root;
    }

    private static JsonNode Translate(JsonNode schema, Action<string> reached)
    {
        if (schema is not JsonObject source)
        {
            // A boolean schema (true/false) means the same in both dialects.
            return schema.DeepClone();
        }

        var nullable = source["nullable"] is JsonValue flag && flag.TryGetValue<bool>(out var isNullable) && isNullable;
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            switch (key)
            {
                case "$ref":
                    var reference = value!.GetValue<string>();
                    if (!reference.StartsWith(ComponentPrefix, StringComparison.Ordinal))
                    {
                        throw new NotSupportedException($"Only {ComponentPrefix}* references are supported, not '{reference}'.");
                    }

                    var name = reference[ComponentPrefix.Length..];
                    reached(name);
                    result["$ref"] = "#/$defs/" + name;
                    break;
                case "type":
                    result["type"] = nullable ? new JsonArray(value!.GetValue<string>(), "null") : value!.DeepClone();
                    break;
                case "enum":
                    var members = value!.AsArray().DeepClone().AsArray();
                    if (nullable && !members.Any(m => m is null))
                    {
                        members.Add(null);
                    }

                    result["enum"] = members;
                    break;
                case "properties":
                    var properties = new JsonObject();
                    foreach (var (property, propertySchema) in value!.AsObject())
                    {
                        properties[property] = Translate(propertySchema!, reached);
                    }

                    result["properties"] = properties;
                    break;
                case "items" or "additionalProperties" or "not":
                    result[key] = Translate(value!, reached);
                    break;
                case "allOf" or "oneOf" or "anyOf":
                    result[key] = new JsonArray([.. value!.AsArray().Select(s => Translate(s!, reached))]);
                    break;
                case "exclusiveMinimum" or "exclusiveMaximum":
                    // OpenAPI 3.0: a boolean that makes minimum/maximum exclusive.
                    var bound = key == "exclusiveMinimum" ? "minimum" : "maximum";
                    if (value is JsonValue exclusive && exclusive.TryGetValue<bool>(out var isExclusive) && isExclusive && source[bound] is { } limit)
                    {
                        result[key] = limit.DeepClone();
                    }

                    break;
                default:
                    if (Copied.Contains(key))
                    {
                        result[key] = value?.DeepClone();
                    }

                    break;
            }
        }

        if (result.ContainsKey("exclusiveMinimum"))
        {
            result.Remove("minimum");
        }

        if (result.ContainsKey("exclusiveMaximum"))
        {
            result.Remove("maximum");
        }

        // A $ref or combinator would still reject null after the type is widened: a nullable one needs an explicit
        // alternative. (OpenAPI 3.0 ignores siblings of $ref, but generators such as Fern put nullable there and mean it.)
        var delegates = result.ContainsKey("$ref") || result.ContainsKey("allOf") || result.ContainsKey("oneOf") || result.ContainsKey("anyOf");
        return nullable && delegates
            ? new JsonObject { ["anyOf"] = new JsonArray(result, new JsonObject { ["type"] = "null" }) }
            : result;
    }
}
