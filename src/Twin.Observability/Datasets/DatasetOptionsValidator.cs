using Microsoft.Extensions.Options;
using Twin.Observability.Evaluation;

namespace Twin.Observability.Datasets;

/// <summary>
/// Refuses thresholds no judge can meet at start-up: a name no judge scores (say <c>Relevance</c> for
/// <c>relevance</c>) would otherwise silently keep every conversation out of the dataset.
/// </summary>
public sealed class DatasetOptionsValidator : IValidateOptions<DatasetOptions>
{
    public ValidateOptionsResult Validate(string? name, DatasetOptions options)
    {
        var failures = new List<string>();
        foreach (var (score, minimum) in options.Thresholds)
        {
            if (!ScoreNames.All.Contains(score, StringComparer.Ordinal))
            {
                failures.Add($"Datasets:Thresholds:{score} names no score; the judges score {string.Join(", ", ScoreNames.All)}.");
            }

            if (double.IsNaN(minimum) || minimum is < 0 or > 1)
            {
                failures.Add($"Datasets:Thresholds:{score} must be from 0 to 1.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
