using Azure;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Chat;
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
        var stores = new FakeChatStores { OnEnqueue = () => throw new RequestFailedException(status, "queue write refused") };
        await using var provider = stores.Provider();

        var outcome = await provider.GetRequiredService<ChatService>().ChatAsync(FakeChatStores.UserChat(), default);

        Assert.Contains("sourdough", outcome.Reply.Reply, StringComparison.Ordinal);
        Assert.Equal(1, stores.Enqueues);
        var row = Assert.Single(stores.Rows);
        Assert.Equal("ok", row.Status);
    }
}
