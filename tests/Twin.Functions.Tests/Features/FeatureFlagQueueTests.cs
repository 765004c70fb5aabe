using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Tests.Evaluation;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Features;

/// <summary>
/// A flag that is off stops its queue work in the real app: with <c>Evaluation</c> off a chat queues nothing, and an
/// evaluation message already on the queue is taken off it without being judged. (With the flag on, the same app judges
/// every chat: <see cref="OfflineEvaluationTests"/>.)
/// </summary>
[Collection(EvaluationCollection.Name)]
public sealed class FeatureFlagQueueTests
{
    [Fact]
    public async Task With_evaluation_off_a_chat_queues_nothing_and_a_queued_evaluation_is_dropped_unjudged()
    {
        await using var server = await TwinApp.StartAsync(EvaluationApp.Settings(("FeatureManagement:Evaluation", "false")));
        using var admin = server.CreateClient(TestKeys.Admin);
        using var user = server.CreateClient(TestKeys.User);
        var twinId = await EvaluationApp.CreateTwinAsync(admin, ["My favourite tool for tracing LLM applications is Langfuse."]);
        var queue = EvaluationApp.Queue(server, StorageNames.Queues.Evaluations);

        var (traceId, reply, at) = await EvaluationApp.ChatAsync(user, twinId, "Which tool do you like for tracing?");

        // The chat enqueues (or not) before it answers, so the queue's state right after the answer is the chat's doing.
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        var row = await server.Services.GetRequiredService<LedgerStore>().FindAsync(traceId, at, default);
        Assert.NotNull(row);
        await new QueueEvaluationDispatcher(server.Services.GetRequiredService<QueueServiceClient>()).EnqueueAsync(
            EvaluationApp.RequestOf(row, "Which tool do you like for tracing?", reply),
            default);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // Taken off the queue (the function ran and returned), neither judged nor sent to the poison queue.
        await EvaluationApp.QueueDrainedAsync(server);
        var after = await server.Services.GetRequiredService<LedgerStore>().FindAsync(traceId, at, default);
        Assert.Empty(after!.Scores);
        Assert.Null(after.ScoreMethod);
        Assert.Empty(await EvaluationApp.PoisonMessagesAsync(server));
    }
}
