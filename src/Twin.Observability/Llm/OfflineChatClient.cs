using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Twin.Observability.Llm;

/// <summary>
/// The offline default: answers from the knowledge snippets the pipeline retrieved for this message, with no model
/// behind it. It reports model <c>twin-offline</c>, estimated token counts and (through the price table) zero cost,
/// so the whole pipeline, its traces and its ledger work with nothing but Azurite — and nothing pretends an LLM answered.
/// </summary>
public sealed class OfflineChatClient : IChatClient
{
    public const string ModelId = "twin-offline";

    private static readonly ChatClientMetadata Metadata = new("twin-offline", null, ModelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var input = messages.ToList();
        var reply = Compose(OfflineKnowledge.Of(options, this));
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = TokenEstimate.Of(input.Sum(m => m.Text.Length)),
                OutputTokenCount = TokenEstimate.Of(reply.Length),
            },
        };
        response.Usage.TotalTokenCount = response.Usage.InputTokenCount + response.Usage.OutputTokenCount;
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(Metadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static string Compose(IReadOnlyList<string> snippets) =>
        snippets.Count == 0
            ? "I don't have anything in my notes about that yet. Ask me about my work, or something I've shared before."
            : string.Join(" ", snippets.Take(2));
}
