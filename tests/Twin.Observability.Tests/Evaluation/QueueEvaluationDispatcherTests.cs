using Azure.Storage.Queues;
using Twin.Observability.Evaluation;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

[Collection(AzuriteCollection.Name)]
public sealed class QueueEvaluationDispatcherTests
{
    [Fact]
    public async Task An_evaluations_queue_that_disappeared_is_created_again_and_the_message_is_sent()
    {
        // An account of its own, where start-up never created the queue: as after an emulator restarted in memory.
        var queues = new QueueServiceClient(AzuriteFixture.NewAccountConnectionString(), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var queue = queues.GetQueueClient(StorageNames.Queues.Evaluations);
        Assert.False(await queue.ExistsAsync());

        await new QueueEvaluationDispatcher(queues).EnqueueAsync(
            new EvaluationRequest
            {
                TraceId = "0af7651916cd43dd8448eb211c80319c",
                ObservationId = "00f067aa0ba902b7",
                TwinId = "ada",
                Endpoint = "chat",
                Environment = "test",
                LedgerTimestamp = DateTimeOffset.UtcNow,
                Message = "What do you bake?",
                Reply = "Sourdough.",
            },
            default);

        var message = Assert.Single((await queue.PeekMessagesAsync(10)).Value);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", EvaluationMessageCodec.Decode(message.Body.ToMemory().Span).TraceId);
    }
}
