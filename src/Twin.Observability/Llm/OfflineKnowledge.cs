using Microsoft.Extensions.AI;

namespace Twin.Observability.Llm;

/// <summary>
/// The knowledge snippets the pipeline retrieved, handed to the <see cref="OfflineChatClient"/> as its request's raw
/// representation. Not in <see cref="ChatOptions.AdditionalProperties"/>: the OpenTelemetry chat client writes those
/// onto the generation span (where a list printed as its type name), and other providers would send them upstream.
/// </summary>
public sealed record OfflineKnowledge(IReadOnlyList<string> Snippets)
{
    /// <summary>A factory that answers only the offline client; a provider client gets null and builds its own request.</summary>
    public static Func<IChatClient, object?> For(IReadOnlyList<string> snippets)
    {
        var knowledge = new OfflineKnowledge(snippets);
        return client => client is OfflineChatClient ? knowledge : null;
    }

    public static IReadOnlyList<string> Of(ChatOptions? options, IChatClient client) =>
        options?.RawRepresentationFactory?.Invoke(client) is OfflineKnowledge knowledge ? knowledge.Snippets : [];
}
