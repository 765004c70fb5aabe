using Twin.Observability.Prompts;

namespace Twin.Observability.Playground;

/// <summary>
/// A validated playground request: a test is one variant and one input, a comparison many of each. Prompts are still
/// choices here; the service resolves them (and the twin) before anything runs.
/// </summary>
public sealed record PlaygroundPlan(string? TwinId, IReadOnlyList<PlaygroundVariant> Variants, IReadOnlyList<PlaygroundInput> Inputs, bool Judge, bool FewShot);

/// <summary>
/// One variant's settings. <see cref="Field"/> prefixes its errors (<c>variants[1].</c>, or nothing for a test), so a
/// prompt that turns out unknown or short of a variable is reported where the caller wrote it.
/// </summary>
public sealed record PlaygroundVariant(
    int Index,
    string Name,
    string Field,
    PromptTemplate? InlinePrompt,
    string? PromptName,
    string? PromptLabel,
    int? PromptVersion,
    string? Model,
    double? Temperature,
    IReadOnlyDictionary<string, string> Variables);

/// <summary>One message to try, with variables that win over its variant's.</summary>
public sealed record PlaygroundInput(int Index, string Message, string Field, IReadOnlyDictionary<string, string> Variables);

/// <summary>A variant whose prompt is known: the template that runs, and the label it was asked for, if any.</summary>
public sealed record ResolvedVariant(PlaygroundVariant Variant, PromptTemplate Template, string? Label)
{
    public PlaygroundPromptUsed PromptUsed => new(Template.Name, Template.Version, Label, Template.Source);
}
