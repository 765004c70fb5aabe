using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Experiments;
using Twin.Observability.Ledger;
using Twin.Observability.Twins;
using Twin.Testing;

namespace Twin.Observability.Tests.Chat;

/// <summary>
/// In-memory stand-ins for every store the chat path touches (twin lookup, history, ledger, evaluation queue, A/B
/// arms), so a test can run <see cref="ChatService"/> with a failure placed exactly where it wants one.
/// </summary>
internal sealed class FakeChatStores : ITwinLookup, IConversationHistory, ILedgerWriter, IEvaluationDispatcher, IExperimentArms
{
    private readonly TwinProfile _twin = new("ada", "Ada", "I am Ada.", ["I bake sourdough bread every weekend."], null, null, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");

    /// <summary>Runs instead of storing history turns; null stores nothing.</summary>
    public Func<CancellationToken, Task>? OnAppend { get; init; }

    /// <summary>Runs instead of enqueuing an evaluation; null accepts it.</summary>
    public Func<Task>? OnEnqueue { get; init; }

    public List<LedgerEntry> Rows { get; } = [];

    public int Enqueues { get; private set; }

    /// <summary>The app's own composition root with these stores in place of the real ones (nothing is read from Azurite).</summary>
    public ServiceProvider Provider()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TestKeys.Settings)
            .AddInMemoryCollection([new("AzureWebJobsStorage", "UseDevelopmentStorage=true")])
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IHostEnvironment>(new TestHostEnvironment()).AddTwinObservability(configuration);
        var stores = this;
        services.AddSingleton<ITwinLookup>(stores).AddSingleton<IConversationHistory>(stores).AddSingleton<ILedgerWriter>(stores).AddSingleton<IEvaluationDispatcher>(stores).AddSingleton<IExperimentArms>(stores);
        return services.BuildServiceProvider();
    }

    /// <summary>A user-channel chat with the twin <c>ada</c>, signed in with the test user key.</summary>
    public static ChatRequest UserChat(string message = "What do you bake?") => new()
    {
        Channel = ChatChannel.User,
        TwinId = "ada",
        Credential = new ChatCredential(ChatCredentialKind.ApiKey, TestKeys.User),
        ReadBodyAsync = _ => Task.FromResult(new ChatInput { Message = message }),
    };

    // No A/B test runs here: the chat path reads no Experiments table.
    public Task<ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken) => Task.FromResult<ExperimentArm?>(null);

    public Task<TwinProfile?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(id == _twin.Id ? _twin : null);

    public Task<IReadOnlyList<ConversationTurn>> LastTurnsAsync(string twinId, ChatCaller caller, string conversationId, int turns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ConversationTurn>>([]);

    public Task AppendAsync(string twinId, ChatCaller caller, string conversationId, string traceId, IEnumerable<ConversationTurn> turns, CancellationToken cancellationToken) =>
        OnAppend?.Invoke(cancellationToken) ?? Task.CompletedTask;

    public Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        lock (Rows)
        {
            Rows.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        Enqueues++;
        return OnEnqueue?.Invoke() ?? Task.CompletedTask;
    }
}
