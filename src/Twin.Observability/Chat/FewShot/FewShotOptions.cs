using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Twin.Observability.Chat.FewShot;

/// <summary>
/// The <c>FewShot</c> section: how the pipeline's <c>select-few-shot</c> node picks example exchanges from a twin's
/// dataset (maximal marginal relevance over lexical or embedding similarity), and how long a twin's index is cached.
/// </summary>
public sealed class FewShotOptions
{
    public const string SectionName = "FewShot";

    /// <summary>Select examples at all; <c>false</c> makes the node select nothing for every twin.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most examples (user/assistant pairs) put before the message.</summary>
    [Range(0, 10)]
    public int MaxExamples { get; set; } = 3;

    /// <summary>The most approximate tokens (characters / 4) the chosen examples may take together.</summary>
    [Range(0, 100_000)]
    public int TokenBudget { get; set; } = 600;

    /// <summary>
    /// How long a twin's index is used before it is rebuilt in the background. The first chat of a twin builds it;
    /// later chats use the cached one, also while a refresh runs.
    /// </summary>
    [Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 300;

    /// <summary>The least similarity (0..1) an example must have to the message.</summary>
    [Range(0.0, 1.0)]
    public double MinSimilarity { get; set; } = 0.1;

    /// <summary>Maximal marginal relevance trade-off: 1 is relevance only, 0 is diversity only.</summary>
    [Range(0.0, 1.0)]
    public double Lambda { get; set; } = 0.7;

    /// <summary>Per-twin overrides by twin id.</summary>
    public Dictionary<string, FewShotTwinOptions> Twins { get; set; } = new(StringComparer.Ordinal);

    public bool EnabledFor(string twinId) => Enabled && (Twins.TryGetValue(twinId, out var twin) ? twin.Enabled ?? true : true);

    public int MaxExamplesFor(string twinId) => Twins.TryGetValue(twinId, out var twin) && twin.MaxExamples is { } max ? max : MaxExamples;
}

/// <summary>A twin's override of <see cref="FewShotOptions"/>: <c>FewShot:Twins:{twinId}:Enabled</c> and <c>…:MaxExamples</c>.</summary>
public sealed class FewShotTwinOptions
{
    public bool? Enabled { get; set; }

    public int? MaxExamples { get; set; }
}

/// <summary>Checks what data annotations do not reach: the per-twin overrides.</summary>
internal sealed class FewShotOptionsValidator : IValidateOptions<FewShotOptions>
{
    public ValidateOptionsResult Validate(string? name, FewShotOptions options)
    {
        var failures = options.Twins
            .Where(t => t.Value?.MaxExamples is < 0 or > 10)
            .Select(t => $"FewShot:Twins:{t.Key}:MaxExamples must be between 0 and 10.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
