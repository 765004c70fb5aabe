using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Xunit;

namespace Twin.Observability.Tests.Chat;

/// <summary>How a chat that did not end in a reply is answered and recorded: a storage conflict, a caller that left.</summary>
public sealed class ChatOutcomeRecordingTests
{
    public static TheoryData<Exception> Conflicts => new()
    {
        new ResourceConflictException("'row' already exists."),
        new PreconditionFailedException("'row' was changed by another writer; read it again and retry."),
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public async Task A_storage_conflict_is_answered_409_conflict_with_a_retry_hint_not_500(Exception conflict)
    {
        var stores = new FakeChatStores { OnAppend = _ => throw conflict };
        await using var provider = stores.Provider();

        var failure = await Assert.ThrowsAsync<ChatFailedException>(() => provider.GetRequiredService<ChatService>().ChatAsync(FakeChatStores.UserChat(), default));

        Assert.Equal((409, "conflict"), (failure.Status, failure.ErrorType));
        Assert.NotNull(failure.RetryAfter);
        var row = Assert.Single(stores.Rows);
        Assert.Equal(("error", 409, "conflict"), (row.Status, row.HttpStatus, row.ErrorType));
    }

    [Fact]
    public async Task A_chat_whose_caller_disconnected_is_recorded_as_cancelled_499()
    {
        using var disconnect = new CancellationTokenSource();
        // The caller goes away while the chat is under way: the request's token fires and the work under it stops.
        var stores = new FakeChatStores
        {
            OnAppend = async ct =>
            {
                await disconnect.CancelAsync();
                ct.ThrowIfCancellationRequested();
            },
        };
        await using var provider = stores.Provider();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetRequiredService<ChatService>().ChatAsync(FakeChatStores.UserChat(), disconnect.Token));

        var row = Assert.Single(stores.Rows);
        Assert.Equal(("cancelled", 499, "cancelled"), (row.Status, row.HttpStatus, row.ErrorType));
        Assert.Equal(Twin.Testing.TestKeys.UserId, row.UserId);
    }
}
