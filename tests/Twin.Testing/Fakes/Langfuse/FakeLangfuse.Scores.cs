using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Twin.Testing.Fakes.Langfuse.OpenApi;

namespace Twin.Testing.Fakes.Langfuse;

// POST /api/public/scores: a score upserted by its id, with the rules Langfuse checks beyond the spec's schema.
public sealed partial class FakeLangfuse
{
    public const string ScoresPath = "/api/public/scores";

    private readonly List<FakeScore> _scores = [];
    private int _scorePostCount;

    /// <summary>The stored scores, one per id (a re-posted id replaces its score in place), in order of first arrival.</summary>
    public IReadOnlyList<FakeScore> Scores
    {
        get
        {
            lock (_gate)
            {
                return [.. _scores];
            }
        }
    }

    /// <summary>Every <c>POST /api/public/scores</c> received, whatever the answer (failure modes and 400s included).</summary>
    public int ScorePostCount
    {
        get
        {
            lock (_gate)
            {
                return _scorePostCount;
            }
        }
    }

    /// <summary>The stored scores of one trace, in order of first arrival.</summary>
    public IReadOnlyList<FakeScore> ScoresOf(string traceId) =>
        Scores.Where(s => string.Equals(s.TraceId, traceId, StringComparison.OrdinalIgnoreCase)).ToList();

    private void MapScores(WebApplication app) =>
        app.MapPost(ScoresPath, (Delegate)((HttpContext context) =>
        {
            Interlocked.Increment(ref _scorePostCount);
            return ServeAsync(context, ScoresPath, (_, body) => CreateScore(body!.Value));
        }));

    private RestAnswer CreateScore(JsonElement body)
    {
        var errors = ScoreRules(body);
        if (errors.Count > 0)
        {
            return RestAnswer.Invalid(errors);
        }

        // An omitted or empty id gets a server UUID; the same id posted again overwrites (Langfuse's upsert key).
        var id = StringProperty(body, "id") is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
        var score = new FakeScore(
            id,
            StringProperty(body, "name")!,
            body.GetProperty("value").Clone(),
            StringProperty(body, "dataType"),
            StringProperty(body, "traceId"),
            StringProperty(body, "observationId"),
            StringProperty(body, "sessionId"),
            StringProperty(body, "datasetRunId"),
            StringProperty(body, "comment"),
            JsonProperty(body, "metadata"),
            StringProperty(body, "environment"),
            StringProperty(body, "configId"),
            StringProperty(body, "queueId"),
            StringProperty(body, "source"),
            body.Clone(),
            DateTimeOffset.UtcNow);
        lock (_gate)
        {
            var existing = _scores.FindIndex(s => s.Id == id);
            if (existing >= 0)
            {
                _scores[existing] = score;
            }
            else
            {
                _scores.Add(score);
            }
        }

        return RestAnswer.Ok(new { id });
    }

    // Langfuse's score validation beyond the OpenAPI schema (the schema already checked types and required fields).
    private static List<SchemaError> ScoreRules(JsonElement body)
    {
        var errors = new List<SchemaError>();
        if (StringProperty(body, "name") is not { Length: > 0 })
        {
            errors.Add(new SchemaError("/name", "name must not be empty"));
        }

        var value = body.GetProperty("value");
        var dataType = StringProperty(body, "dataType");
        switch (dataType)
        {
            case "NUMERIC" when value.ValueKind != JsonValueKind.Number:
                errors.Add(new SchemaError("/value", "a NUMERIC score's value must be a number"));
                break;
            case "BOOLEAN" when value.ValueKind != JsonValueKind.Number || (value.GetDouble() is not (0 or 1)):
                errors.Add(new SchemaError("/value", "a BOOLEAN score's value must be the number 0 or 1"));
                break;
            case "CATEGORICAL" or "CORRECTION" when value.ValueKind != JsonValueKind.String:
                errors.Add(new SchemaError("/value", $"a {dataType} score's value must be a string"));
                break;
            case "TEXT" when value.ValueKind != JsonValueKind.String || value.GetString()!.Length is < 1 or > 500:
                errors.Add(new SchemaError("/value", "a TEXT score's value must be a string of 1 to 500 characters"));
                break;
        }

        var targets = new[] { "traceId", "sessionId", "datasetRunId" }.Where(t => StringProperty(body, t) is not null).ToList();
        if (targets.Count != 1)
        {
            errors.Add(new SchemaError("", $"exactly one of traceId, sessionId, datasetRunId must be set, not {(targets.Count == 0 ? "none" : string.Join(" and ", targets))}"));
        }

        if (StringProperty(body, "observationId") is not null && StringProperty(body, "traceId") is null)
        {
            errors.Add(new SchemaError("/observationId", "observationId requires traceId"));
        }

        if (StringProperty(body, "environment") is { } environment && !EnvironmentPattern().IsMatch(environment))
        {
            errors.Add(new SchemaError("/environment", "environment must be lowercase letters, digits, '-' and '_', not starting with 'langfuse'"));
        }

        var configId = StringProperty(body, "configId");
        if (dataType == "CORRECTION" && configId is not null)
        {
            errors.Add(new SchemaError("/configId", "a CORRECTION score cannot reference a score config"));
        }

        if (StringProperty(body, "source") == "ANNOTATION" && configId is null && dataType != "CORRECTION")
        {
            errors.Add(new SchemaError("/source", "an ANNOTATION score needs a configId"));
        }

        return errors;
    }

    [GeneratedRegex("^(?!langfuse)[a-z0-9_-]+$")]
    private static partial Regex EnvironmentPattern();
}
