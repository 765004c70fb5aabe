namespace Twin.Observability.Prompts;

/// <summary>The app's own prompts, used when Langfuse is off, unreachable, or has no such prompt.</summary>
public static class BuiltInPrompts
{
    public const string SystemPromptName = "twin-system";

    private static readonly Dictionary<string, PromptTemplate> Prompts = new(StringComparer.Ordinal)
    {
        [SystemPromptName] = new PromptTemplate(
            SystemPromptName,
            Version: null,
            PromptKind.Text,
            "You are {{twin_name}}, a digital twin. Stay in character and speak in the first person.\n\n{{persona}}{{knowledge}}",
            [],
            PromptConfig.Empty,
            ["built-in"],
            PromptSource.BuiltIn),
    };

    public static IReadOnlyCollection<PromptTemplate> All => Prompts.Values;

    public static PromptTemplate? Find(string name) => Prompts.GetValueOrDefault(name);
}
