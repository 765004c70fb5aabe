using Twin.Observability.Chat;
using Twin.Observability.Prompts;
using Twin.Observability.Twins;

namespace Twin.Observability.Datasets.Export;

/// <summary>
/// The system prompt of an exported turn, built as the chat builds it today: the chat's system prompt (production
/// label) compiled with the twin's persona and the knowledge the turn retrieved. One instance serves one export, so
/// the prompt and each twin are read once per export however many items there are.
/// </summary>
public sealed class SystemPromptSource(PromptService prompts, ITwinLookup twins)
{
    private readonly Dictionary<string, TwinProfile?> _twins = new(StringComparer.Ordinal);
    private PromptTemplate? _template;

    /// <summary>The system prompt, or null when the example names no twin or its twin no longer exists.</summary>
    public async ValueTask<string?> ForAsync(string? twinId, IReadOnlyList<string> knowledge, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(twinId))
        {
            return null;
        }

        if (!_twins.TryGetValue(twinId, out var twin))
        {
            twin = await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false);
            _twins[twinId] = twin;
        }

        if (twin is null)
        {
            return null;
        }

        _template ??= await prompts.GetSystemPromptAsync(null, null, cancellationToken).ConfigureAwait(false);
        var variables = PromptBuilder.Variables(twin, [.. knowledge.Select((text, i) => new RetrievedSnippet(i, text, 1))]);
        return _template.Kind == PromptKind.Text
            ? PromptCompiler.Compile(_template.Text ?? "", variables).Text
            : string.Join("\n\n", _template.Messages.Where(m => m.Role == "system").Select(m => PromptCompiler.Compile(m.Content, variables).Text));
    }
}
