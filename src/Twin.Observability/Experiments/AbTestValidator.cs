using System.Text.RegularExpressions;
using Twin.Observability.Common;
using Twin.Observability.Storage;

namespace Twin.Observability.Experiments;

/// <summary>Checks the shape of an A/B test request and names every problem at once (existence checks come after).</summary>
public static partial class AbTestValidator
{
    public const int MinVariants = 2;
    public const int MaxVariants = 10;
    public const int MaxSecondaryMetrics = 10;

    public static void Validate(AbTestRequest? request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var r = request!;
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Length > 100)
        {
            errors.Add("name", "is required, at most 100 characters.");
        }

        if (string.IsNullOrWhiteSpace(r.TwinId) || r.TwinId.Length > 64 || !TableKeys.IsValid(r.TwinId))
        {
            errors.Add("twinId", "is required: a twin id.");
        }

        ValidateVariants(r.Variants, errors);
        if (!AbTestMetrics.IsValid(r.PrimaryMetric))
        {
            errors.Add("primaryMetric", "is required: a score name (lower case, digits, _), latency_ms, cost_usd or error_rate.");
        }

        if (r.SecondaryMetrics is { } secondary && (secondary.Count > MaxSecondaryMetrics || secondary.Any(m => !AbTestMetrics.IsValid(m))))
        {
            errors.Add("secondaryMetrics", $"at most {MaxSecondaryMetrics}, each a score name, latency_ms, cost_usd or error_rate.");
        }

        if (r.MinSamples is < 1 or > 1_000_000)
        {
            errors.Add("minSamples", "must be from 1 to 1000000.");
        }

        if (r.EndsAt is { } ends && ends <= (r.StartsAt ?? now))
        {
            errors.Add("endsAt", "must be after the start.");
        }

        errors.ThrowIfAny();
    }

    private static void ValidateVariants(List<AbTestVariant>? variants, ValidationErrors errors)
    {
        if (variants is null || variants.Count < MinVariants || variants.Count > MaxVariants)
        {
            errors.Add("variants", $"from {MinVariants} to {MaxVariants} variants are required.");
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var field = $"variants[{i}]";
            if (v is null)
            {
                errors.Add(field, "must be an object.");
                continue;
            }

            if (string.IsNullOrEmpty(v.Name) || !VariantName().IsMatch(v.Name))
            {
                errors.Add($"{field}.name", "is required: 1–50 letters, digits, '-', '_' or '.' (it becomes the tag variant:{name}).");
            }
            else if (!names.Add(v.Name))
            {
                errors.Add($"{field}.name", $"'{v.Name}' is used by another variant.");
            }

            if (!double.IsFinite(v.Weight) || v.Weight <= 0)
            {
                errors.Add($"{field}.weight", "must be a positive number.");
            }

            if (v.PromptLabel is not null && v.PromptVersion is not null)
            {
                errors.Add($"{field}.promptVersion", "give a prompt label or a version, not both.");
            }

            if (v.PromptVersion is < 1)
            {
                errors.Add($"{field}.promptVersion", "must be 1 or more.");
            }

            if (v.Temperature is { } t && (!double.IsFinite(t) || t < 0 || t > 2))
            {
                errors.Add($"{field}.temperature", "must be from 0 to 2.");
            }

            if (v.Model is { Length: > 200 } || v.PromptName is { Length: > 200 } || v.PromptLabel is { Length: > 100 })
            {
                errors.Add(field, "model and promptName hold at most 200 characters, promptLabel 100.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,50}$", RegexOptions.CultureInvariant)]
    private static partial Regex VariantName();
}
