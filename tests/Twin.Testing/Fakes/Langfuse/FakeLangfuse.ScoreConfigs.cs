using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;

namespace Twin.Testing.Fakes.Langfuse;

// POST /api/public/score-configs and PATCH /api/public/score-configs/{configId}: configs kept by id, names unique.
public sealed partial class FakeLangfuse
{
    public const string ScoreConfigsPath = "/api/public/score-configs";
    private const string ScoreConfigByIdPath = ScoreConfigsPath + "/{configId}";

    private readonly List<JsonElement> _scoreConfigs = [];

    /// <summary>The score configs as Langfuse would answer them (archived ones included).</summary>
    public IReadOnlyList<JsonElement> ScoreConfigs
    {
        get
        {
            lock (_gate)
            {
                return [.. _scoreConfigs];
            }
        }
    }

    private void MapScoreConfigs(WebApplication app)
    {
        app.MapPost(ScoreConfigsPath, (Delegate)((HttpContext context) => ServeAsync(context, ScoreConfigsPath, (_, body) => CreateScoreConfig(body!.Value))));
        app.MapMethods(ScoreConfigByIdPath, ["PATCH"], (Delegate)((HttpContext context) => ServeAsync(context, ScoreConfigByIdPath, (c, body) => UpdateScoreConfig(PathParameter(c, "configId"), body!.Value))));
    }

    private RestAnswer CreateScoreConfig(JsonElement body)
    {
        var name = StringProperty(body, "name")!;
        var dataType = StringProperty(body, "dataType");
        var errors = new List<SchemaError>();
        if (name.Length is < 1 or > 35)
        {
            errors.Add(new SchemaError("/name", "name must be 1 to 35 characters"));
        }

        if (dataType == "CATEGORICAL" && (!body.TryGetProperty("categories", out var categories) || categories.ValueKind != JsonValueKind.Array || categories.GetArrayLength() == 0))
        {
            errors.Add(new SchemaError("/categories", "a CATEGORICAL config needs categories"));
        }

        if (errors.Count > 0)
        {
            return RestAnswer.Invalid(errors);
        }

        lock (_gate)
        {
            if (_scoreConfigs.Any(c => c.GetProperty("name").GetString() == name))
            {
                return RestAnswer.Conflict($"A score config named '{name}' exists.");
            }

            var now = DateTimeOffset.UtcNow;
            var config = JsonSerializer.SerializeToElement(new
            {
                id = Guid.NewGuid().ToString(),
                name,
                createdAt = now,
                updatedAt = now,
                projectId = "fake-project",
                dataType,
                isArchived = false,
                minValue = NumberProperty(body, "minValue"),
                maxValue = NumberProperty(body, "maxValue"),
                categories = body.TryGetProperty("categories", out var given) && given.ValueKind == JsonValueKind.Array ? given.Clone() : (JsonElement?)null,
                description = StringProperty(body, "description"),
            });
            _scoreConfigs.Add(config);
            return RestAnswer.Ok(config);
        }
    }

    private RestAnswer UpdateScoreConfig(string configId, JsonElement body)
    {
        lock (_gate)
        {
            var index = _scoreConfigs.FindIndex(c => c.GetProperty("id").GetString() == configId);
            if (index < 0)
            {
                return RestAnswer.NotFound($"Score config '{configId}' not found.");
            }

            var merged = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(_scoreConfigs[index].GetRawText())!;
            foreach (var property in body.EnumerateObject())
            {
                merged[property.Name] = property.Value.Clone();
            }

            merged["updatedAt"] = JsonSerializer.SerializeToElement(DateTimeOffset.UtcNow);
            _scoreConfigs[index] = JsonSerializer.SerializeToElement(merged);
            return RestAnswer.Ok(_scoreConfigs[index]);
        }
    }

    private static double? NumberProperty(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
