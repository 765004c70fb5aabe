using Microsoft.Extensions.AI;

namespace Twin.Observability.Chat;

/// <summary>Chooses example exchanges to show the model before the user's message (dynamic few-shot prompting).</summary>
public interface IFewShotSelector
{
    /// <summary>
    /// The examples for a message of a conversation. Never an example whose message is the incoming one, nor one from
    /// the same conversation when the example knows its conversation; never throws for want of examples.
    /// </summary>
    Task<FewShotSelection> SelectAsync(string twinId, string message, string conversationId, CancellationToken cancellationToken);
}

/// <summary>
/// What a few-shot selector chose: the examples as user/assistant message pairs for the prompt, and for the trace the
/// query and the dataset items they came from.
/// </summary>
public sealed record FewShotSelection(string Query, IReadOnlyList<ChatMessage> Messages, IReadOnlyList<SelectedFewShotExample> Examples)
{
    public static FewShotSelection Empty(string query) => new(query, [], []);
}

/// <summary>A chosen example: its dataset item, its similarity (0..1) to the message, and the trace it was collected from.</summary>
public sealed record SelectedFewShotExample(string ItemId, double Similarity, string? SourceTraceId);

/// <summary>Selects nothing: the pipeline's few-shot node when few-shot prompting is not wanted.</summary>
public sealed class NoFewShotSelector : IFewShotSelector
{
    public Task<FewShotSelection> SelectAsync(string twinId, string message, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(FewShotSelection.Empty(message));
}
