namespace Twin.Observability.Tracing;

/// <summary>
/// The span attributes that carry what users and the model said: Langfuse's input and output (every node's request and
/// reply, the generation's messages) and the OpenTelemetry gen_ai content attributes and events' content (the app turns
/// Microsoft.Extensions.AI's sensitive data off, but a library or a later change may put them on). They go to Langfuse,
/// and to Azure Monitor only when <see cref="TelemetryOptions.SendContentToAzureMonitor"/> is set.
/// </summary>
public static class ContentAttributes
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        LangfuseAttributes.Input,
        LangfuseAttributes.Output,
        "langfuse.trace.input",
        "langfuse.trace.output",
        "gen_ai.input.messages",
        "gen_ai.output.messages",
        "gen_ai.system_instructions",
        "gen_ai.prompt",
        "gen_ai.completion",
        "gen_ai.tool.call.arguments",
        "gen_ai.tool.call.result",
        "gen_ai.event.content",
    };

    // The older gen_ai convention numbers its messages (gen_ai.prompt.0.content).
    private static readonly string[] Prefixes = ["gen_ai.prompt.", "gen_ai.completion."];

    public static bool IsContent(string name) =>
        Names.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
