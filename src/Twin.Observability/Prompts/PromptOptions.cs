using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Prompts;

/// <summary>The <c>Prompts</c> section: which Langfuse prompt the chat uses and how long fetched prompts are cached.</summary>
public sealed class PromptOptions
{
    public const string SectionName = "Prompts";

    /// <summary>The Langfuse prompt (text or chat) that becomes the system part of every chat; variables: twin_name, twin_id, persona, knowledge.</summary>
    [Required]
    public string SystemPromptName { get; set; } = BuiltInPrompts.SystemPromptName;

    /// <summary>The label fetched when no version is asked for (Langfuse's default is <c>production</c>).</summary>
    [Required]
    public string DefaultLabel { get; set; } = "production";

    /// <summary>How long a fetched prompt is fresh; after it, the stale one is served while one background refresh runs. 0 turns caching off.</summary>
    [Range(0, 86_400)]
    public int CacheTtlSeconds { get; set; } = 60;

    /// <summary>How long one fetch from Langfuse may take before the fallback is used.</summary>
    [Range(1, 60)]
    public int FetchTimeoutSeconds { get; set; } = 5;
}
