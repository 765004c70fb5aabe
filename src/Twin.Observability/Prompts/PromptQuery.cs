using System.Globalization;
using Twin.Observability.Common;

namespace Twin.Observability.Prompts;

/// <summary>Reads a prompt's <c>label</c> or <c>version</c> from a query string: one or the other, as Langfuse takes them.</summary>
public static class PromptQuery
{
    public static (string? Label, int? Version) Parse(string? label, string? version)
    {
        var errors = new ValidationErrors();
        int? parsed = null;
        if (!string.IsNullOrEmpty(version))
        {
            if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1)
            {
                parsed = v;
            }
            else
            {
                errors.Add("version", "must be a positive whole number.");
            }
        }

        if (!string.IsNullOrEmpty(label) && !string.IsNullOrEmpty(version))
        {
            errors.Add("label", "give a label or a version, not both.");
        }

        if (label is { Length: > 100 })
        {
            errors.Add("label", "must be at most 100 characters.");
        }

        errors.ThrowIfAny();
        return (string.IsNullOrEmpty(label) ? null : label, parsed);
    }
}
