using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Twins;

namespace Twin.Benchmarks;

/// <summary>
/// The pipeline's storage ports in memory, so a benchmark measures the app's own work (nodes, spans, attributes,
/// ledger entry) and not the latency of a storage emulator.
/// </summary>
public sealed class InMemoryChatStores(TwinProfile twin) : ITwinLookup, IConversationHistory, ILedgerWriter, IEvaluationDispatcher, Twin.Observability.Experiments.IExperimentArms
{
    // No A/B test runs here: the chat path reads no Experiments table.
    public Task<Twin.Observability.Experiments.ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken) => Task.FromResult<Twin.Observability.Experiments.ExperimentArm?>(null);

    public int LedgerRows { get; private set; }

    public int EvaluationsQueued { get; private set; }

    /// <summary>Twin lookups: each is a Table read in the app.</summary>
    public int TwinReads { get; private set; }

    public Task<TwinProfile?> FindAsync(string id, CancellationToken cancellationToken)
    {
        TwinReads++;
        return Task.FromResult(id == twin.Id ? twin : null);
    }

    public Task<IReadOnlyList<ConversationTurn>> LastTurnsAsync(string twinId, ChatCaller caller, string conversationId, int turns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ConversationTurn>>([]);

    public Task AppendAsync(string twinId, ChatCaller caller, string conversationId, string traceId, IEnumerable<ConversationTurn> turns, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        LedgerRows++;
        return Task.CompletedTask;
    }

    public Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        // Encoding is the app's work on the request path; the queue write is I/O and left out like the ledger's.
        _ = EvaluationMessageCodec.Encode(request);
        EvaluationsQueued++;
        return Task.CompletedTask;
    }
}
