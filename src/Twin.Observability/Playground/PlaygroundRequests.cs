using System.Text.Json;

namespace Twin.Observability.Playground;

/// <summary>
/// The settings one playground run tries: a prompt (<see cref="Prompt"/> given inline, or <see cref="PromptName"/> at
/// a label or version, or neither for the configured system prompt), a model, a temperature and template variables.
/// A comparison's variants are these; a single test adds its message.
/// </summary>
public record PlaygroundSettingsRequest
{
    /// <summary>A label for the variant in answers and traces.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// A prompt saved nowhere: a string (a text prompt), <c>{"type":"text","text":"…"}</c> or
    /// <c>{"type":"chat","messages":[{"role":"system","content":"…"}]}</c>, optionally with a <c>name</c>.
    /// </summary>
    public JsonElement? Prompt { get; init; }

    public string? PromptName { get; init; }

    public string? PromptLabel { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    /// <summary>Template values besides the twin's own (<c>twin_name</c>, <c>twin_id</c>, <c>persona</c>, <c>knowledge</c>), which they may replace.</summary>
    public Dictionary<string, string>? Variables { get; init; }
}

/// <summary><c>POST /api/manage/playground/test</c>: one message under one set of settings.</summary>
public sealed record PlaygroundTestRequest : PlaygroundSettingsRequest
{
    public string? Message { get; init; }

    /// <summary>The twin whose persona and knowledge apply; a neutral playground twin when absent.</summary>
    public string? TwinId { get; init; }

    /// <summary>False skips the judges (default true).</summary>
    public bool? Judge { get; init; }

    /// <summary>True lets the twin's few-shot examples in (default false: the prompt alone is under test).</summary>
    public bool? FewShot { get; init; }
}

/// <summary><c>POST /api/manage/playground/compare</c>: every variant against every input.</summary>
public sealed record PlaygroundCompareRequest
{
    public List<PlaygroundSettingsRequest?>? Variants { get; init; }

    public List<PlaygroundInputRequest?>? Inputs { get; init; }

    public string? TwinId { get; init; }

    public bool? Judge { get; init; }

    public bool? FewShot { get; init; }
}

/// <summary>One input of a comparison: a message and variables of its own, which win over the variant's.</summary>
public sealed record PlaygroundInputRequest
{
    public string? Message { get; init; }

    public Dictionary<string, string>? Variables { get; init; }
}
