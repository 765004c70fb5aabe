using System.Text.Json.Serialization;

namespace Twin.Observability.Scores;

/// <summary>
/// What a score may hold (the <c>ScoreConfigs</c> table, mirrored to Langfuse's score configs): a number within
/// <see cref="Min"/>–<see cref="Max"/>, one of <see cref="Categories"/>, or a boolean. Built-in configs describe the
/// judges' scores and <c>user_feedback</c>; they cannot be changed.
/// </summary>
public sealed record ScoreConfig
{
    public required string Name { get; init; }

    /// <summary><c>NUMERIC</c>, <c>CATEGORICAL</c> or <c>BOOLEAN</c>, as Langfuse names them.</summary>
    public required string DataType { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public IReadOnlyList<ScoreCategory>? Categories { get; init; }

    public string? Description { get; init; }

    public bool BuiltIn { get; init; }

    /// <summary>The config's id in Langfuse, once mirrored.</summary>
    public string? LangfuseId { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    [JsonIgnore]
    public string? ETag { get; init; }
}

/// <summary>A category of a categorical score: its label and the number it counts as in metrics.</summary>
public sealed record ScoreCategory(string Label, double Value);

public static class ScoreDataTypes
{
    public const string Numeric = "NUMERIC";
    public const string Categorical = "CATEGORICAL";
    public const string Boolean = "BOOLEAN";

    public static IReadOnlyList<string> All { get; } = [Numeric, Categorical, Boolean];
}
