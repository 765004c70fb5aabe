using System.Text.RegularExpressions;
using Twin.Observability.Common;

namespace Twin.Observability.Scores;

/// <summary>
/// Checks a score config and names every problem. A name is lower case letters, digits and <c>_</c>, at most 35
/// characters: it is a Table column (<c>Score_{name}</c>), a metrics key and a Langfuse config name at once.
/// </summary>
public static partial class ScoreConfigValidator
{
    public const int MaxCategories = 50;

    public static bool IsName(string? name) => name is not null && Name().IsMatch(name);

    public static ScoreConfig Validate(string? routeName, ScoreConfigRequest? request)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var r = request!;
        var name = routeName ?? r.Name;
        if (!IsName(name))
        {
            errors.Add("name", "is required: 1-35 lower-case letters, digits or '_', starting with a letter.");
        }
        else if (routeName is not null && r.Name is not null && r.Name != routeName)
        {
            errors.Add("name", "cannot be changed; create a config of the new name.");
        }

        var dataType = r.DataType?.ToUpperInvariant();
        if (dataType is null || !ScoreDataTypes.All.Contains(dataType))
        {
            errors.Add("dataType", "is required: numeric, categorical or boolean.");
        }

        if (r.Min is { } min && !double.IsFinite(min) || r.Max is { } max && !double.IsFinite(max))
        {
            errors.Add("min", "min and max must be finite numbers.");
        }
        else if (r.Min > r.Max)
        {
            errors.Add("max", "must be at least min.");
        }

        if (dataType != ScoreDataTypes.Numeric && (r.Min is not null || r.Max is not null))
        {
            errors.Add("min", "min and max apply to numeric scores only.");
        }

        if (dataType == ScoreDataTypes.Categorical)
        {
            ValidateCategories(r.Categories, errors);
        }
        else if (r.Categories is { Count: > 0 })
        {
            errors.Add("categories", "apply to categorical scores only.");
        }

        if (r.Description is { Length: > 500 })
        {
            errors.Add("description", "at most 500 characters.");
        }

        errors.ThrowIfAny();
        return new ScoreConfig
        {
            Name = name!,
            DataType = dataType!,
            Min = r.Min,
            Max = r.Max,
            Categories = dataType == ScoreDataTypes.Categorical ? r.Categories : null,
            Description = r.Description,
        };
    }

    private static void ValidateCategories(List<ScoreCategory>? categories, ValidationErrors errors)
    {
        if (categories is null || categories.Count < 2 || categories.Count > MaxCategories)
        {
            errors.Add("categories", $"a categorical score needs 2 to {MaxCategories} categories of {{label, value}}.");
            return;
        }

        if (categories.Any(c => c is null || string.IsNullOrWhiteSpace(c.Label) || c.Label.Length > 100 || !double.IsFinite(c.Value)))
        {
            errors.Add("categories", "each needs a label (at most 100 characters) and a finite value.");
        }
        else if (categories.Select(c => c.Label).Distinct(StringComparer.Ordinal).Count() != categories.Count)
        {
            errors.Add("categories", "labels must be unique.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,34}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
