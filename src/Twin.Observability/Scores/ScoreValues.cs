using System.Globalization;
using System.Text.Json;
using Twin.Observability.Common;

namespace Twin.Observability.Scores;

/// <summary>
/// Reads a score's value against its config: a number in range, a category (by label, or by its value), a boolean
/// (true/false or 1/0). The result has the number metrics count and, for categories, the label Langfuse stores.
/// </summary>
public static class ScoreValues
{
    public static ScoreValue Read(ScoreConfig config, JsonElement value, string field)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (config.DataType)
        {
            case ScoreDataTypes.Boolean:
                return value.ValueKind switch
                {
                    JsonValueKind.True => new ScoreValue(1, null),
                    JsonValueKind.False => new ScoreValue(0, null),
                    JsonValueKind.Number when value.TryGetDouble(out var n) && n is 0 or 1 => new ScoreValue(n, null),
                    _ => throw new RequestValidationException(field, $"'{config.Name}' is boolean: true, false, 1 or 0."),
                };
            case ScoreDataTypes.Categorical:
                var categories = config.Categories ?? [];
                var category = value.ValueKind switch
                {
                    JsonValueKind.String => categories.FirstOrDefault(c => c.Label == value.GetString()),
                    JsonValueKind.Number when value.TryGetDouble(out var n) => categories.FirstOrDefault(c => c.Value == n),
                    _ => null,
                };
                return category is null
                    ? throw new RequestValidationException(field, $"'{config.Name}' is one of: {string.Join(", ", categories.Select(c => c.Label))}.")
                    : new ScoreValue(category.Value, category.Label);
            default:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new RequestValidationException(field, $"'{config.Name}' is a number.");
                }

                if (number < (config.Min ?? double.NegativeInfinity) || number > (config.Max ?? double.PositiveInfinity))
                {
                    throw new RequestValidationException(field, string.Create(CultureInfo.InvariantCulture, $"'{config.Name}' must be from {config.Min?.ToString(CultureInfo.InvariantCulture) ?? "-inf"} to {config.Max?.ToString(CultureInfo.InvariantCulture) ?? "inf"}."));
                }

                return new ScoreValue(number, null);
        }
    }
}

/// <summary>A checked score value: the number metrics count, and the category label when the score is categorical.</summary>
public sealed record ScoreValue(double Number, string? Label);
