namespace Twin.Observability.Prompts;

/// <summary>Which prompt to fetch: a name and either a label or a version (the Langfuse SDKs' cache key shape).</summary>
public sealed record PromptKey(string Name, string? Label, int? Version)
{
    public string CacheKey => Version is { } v ? $"{Name}-version:{v}" : $"{Name}-label:{Label}";
}
