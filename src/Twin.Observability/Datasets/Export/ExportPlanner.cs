using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Datasets.Export.Formats;

namespace Twin.Observability.Datasets.Export;

/// <summary>Checks an export request and names every problem at once; a valid request becomes an <see cref="ExportPlan"/>.</summary>
public sealed class ExportPlanner(IOptions<ExportOptions> options)
{
    public const double MaxValidationSplit = 0.5;

    public ExportPlan Plan(string dataset, DatasetExportRequest? request)
    {
        var errors = new ValidationErrors();
        if (DatasetNames.Problem(dataset) is { } problem)
        {
            errors.Add("name", problem);
        }

        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var r = request!;
        var format = string.IsNullOrWhiteSpace(r.Format) ? null : ExportFormats.Find(r.Format.Trim());
        if (format is null)
        {
            errors.Add("format", $"is required, one of: {string.Join(", ", ExportFormats.All.Select(f => f.Name))}.");
        }

        foreach (var (name, value) in r.MinScore ?? [])
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || !double.IsFinite(value))
            {
                errors.Add("minScore", $"'{name}' must name a score (at most 100 characters) with a finite number.");
            }
        }

        if (r.ValidationSplit is { } split && (!double.IsFinite(split) || split < 0 || split > MaxValidationSplit))
        {
            errors.Add("validationSplit", $"must be from 0 to {MaxValidationSplit}.");
        }

        var includeSystem = r.SystemPrompt?.Trim().ToLowerInvariant() switch
        {
            null or "" or "include" => true,
            "omit" => false,
            _ => (bool?)null,
        };
        if (includeSystem is null)
        {
            errors.Add("systemPrompt", "must be 'include' or 'omit'.");
        }

        var max = options.Value.MaxItems;
        if (r.MaxItems is { } maxItems && (maxItems < 1 || maxItems > max))
        {
            errors.Add("maxItems", $"must be from 1 to {max}.");
        }

        if (r.PairScore is { } pairScore && (string.IsNullOrWhiteSpace(pairScore) || pairScore.Length > 100))
        {
            errors.Add("pairScore", "must name a score, at most 100 characters.");
        }

        if (r.PairThreshold is { } threshold && !double.IsFinite(threshold))
        {
            errors.Add("pairThreshold", "must be a finite number.");
        }

        if (format is { NeedsPairs: false } && (r.PairScore is not null || r.PairThreshold is not null))
        {
            errors.Add("pairScore", $"applies only to preference formats ({string.Join(", ", ExportFormats.All.Where(f => f.NeedsPairs).Select(f => f.Name))}).");
        }

        errors.ThrowIfAny();
        return new ExportPlan
        {
            Dataset = dataset,
            Format = format!.Name,
            MinScore = new Dictionary<string, double>(r.MinScore ?? [], StringComparer.Ordinal),
            ValidationSplit = r.ValidationSplit ?? 0,
            Seed = r.Seed ?? 0,
            IncludeSystemPrompt = includeSystem!.Value,
            MaxItems = r.MaxItems ?? max,
            PairScore = string.IsNullOrWhiteSpace(r.PairScore) ? null : r.PairScore.Trim(),
            PairThreshold = r.PairThreshold ?? 0.5,
        };
    }
}
