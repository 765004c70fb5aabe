using Microsoft.Extensions.AI;

namespace Twin.Observability.Chat;

/// <summary>Chooses example exchanges to show the model before the user's message (dynamic few-shot prompting).</summary>
public interface IFewShotSelector
{
    Task<IReadOnlyList<ChatMessage>> SelectAsync(string twinId, string message, CancellationToken cancellationToken);
}

/// <summary>Selects nothing: the pipeline's few-shot node until the few-shot feature provides examples.</summary>
public sealed class NoFewShotSelector : IFewShotSelector
{
    public Task<IReadOnlyList<ChatMessage>> SelectAsync(string twinId, string message, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChatMessage>>([]);
}
