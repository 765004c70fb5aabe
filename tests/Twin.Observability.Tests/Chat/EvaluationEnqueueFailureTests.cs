using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Twins;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Chat;

/// <summary>Queuing a chat for evaluation happens after the reply is made; no failure of it may turn the reply into an error.</summary>
public sealed class EvaluationEnqueueFailureTests
{
    [Theory]
    [InlineData(403)]
    [InlineData(503)]
    public async Task A_refused_or_failed_evaluation_enqueue_leaves_the_reply_and_its_single_ok_ledger_row(int status)
    {
        var stores = new Stores(new RequestFailedException(status, "queue write refused"));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(TestKeys.Settings)
            .AddInMemoryCollection([new("AzureWebJobsStorage", "UseDevelopmentStorage=true")])
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new TestHostEnvironment()).AddTwinObservability(configuration);
        services.AddSingleton<ITwinLookup>(stores).AddSingleton<IConversationHistory>(stores).AddSingleton<ILedgerWriter>(stores).AddSingleton<IEvaluationDispatcher>(stores).AddSingleton<Twin.Observability.Experiments.IExperimentArms>(stores);
        await using var provider = services.BuildServiceProvider();

        var outcome = await provider.GetRequiredService<ChatService>().ChatAsync(
            new ChatRequest
            {
                Channel = ChatChannel.User,
                TwinId = "ada",
                Credential = new ChatCredential(ChatCredentialKind.ApiKey, TestKeys.User),
                ReadBodyAsync = _ => Task.FromResult(new ChatInput { Message = "What do you bake?" }),
            },
            default);

        Assert.Contains("sourdough", outcome.Reply.Reply, StringComparison.Ordinal);
        Assert.Equal(1, stores.Enqueues);
        var row = Assert.Single(stores.Rows);
        Assert.Equal("ok", row.Status);
    }

    private sealed class Stores(Exception enqueueFailure) : ITwinLookup, IConversationHistory, ILedgerWriter, IEvaluationDispatcher, Twin.Observability.Experiments.IExperimentArms
    {
        // No A/B test runs here: the chat path reads no Experiments table.
        public Task<Twin.Observability.Experiments.ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken) => Task.FromResult<Twin.Observability.Experiments.ExperimentArm?>(null);

        private readonly TwinProfile _twin = new("ada", "Ada", "I am Ada.", ["I bake sourdough bread every weekend."], null, null, [], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "e");

        public List<LedgerEntry> Rows { get; } = [];

        public int Enqueues { get; private set; }

        public Task<TwinProfile?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(id == _twin.Id ? _twin : null);

        public Task<IReadOnlyList<ConversationTurn>> LastTurnsAsync(string twinId, ChatCaller caller, string conversationId, int turns, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ConversationTurn>>([]);

        public Task AppendAsync(string twinId, ChatCaller caller, string conversationId, string traceId, IEnumerable<ConversationTurn> turns, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public Task WriteAsync(LedgerEntry entry, CancellationToken cancellationToken)
        {
            Rows.Add(entry);
            return Task.CompletedTask;
        }

        public Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken)
        {
            Enqueues++;
            throw enqueueFailure;
        }
    }
}
