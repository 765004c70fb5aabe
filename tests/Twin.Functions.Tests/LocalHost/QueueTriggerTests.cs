using Azure.Storage.Queues;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

[Collection(AzuriteCollection.Name)]
public sealed class QueueTriggerTests : IAsyncLifetime
{
    private static readonly QueueClientOptions Base64 = new() { MessageEncoding = QueueMessageEncoding.Base64 };
    private ProbeApp _probe = null!;
    private QueueClient _queue = null!;
    private QueueClient _poison = null!;
    private QueueClient _text = null!;

    public async Task InitializeAsync()
    {
        _probe = await ProbeApp.StartAsync();
        _queue = new QueueClient(AzuriteFixture.ConnectionString, _probe.QueueName, Base64);
        _poison = new QueueClient(AzuriteFixture.ConnectionString, _probe.QueueName + "-poison", Base64);
        _text = new QueueClient(AzuriteFixture.ConnectionString, _probe.QueueName + "-text", Base64);
        await _queue.CreateIfNotExistsAsync();
        await _text.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _queue.DeleteIfExistsAsync();
        await _poison.DeleteIfExistsAsync();
        await _text.DeleteIfExistsAsync();
    }

    [Fact]
    public async Task A_message_that_succeeds_is_processed_once_and_deleted()
    {
        await _queue.SendMessageAsync("hello");

        await Eventually.TrueAsync(async () => (await _probe.RecordedAsync()).QueueDeliveries.Any(d => d.Body == "hello"), TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(10));
        // The positive control: a message sent after the delete is received by a later poll, and a batch is finished
        // before the next poll, so a second delivery of "hello" would be recorded by the time this one is.
        await _queue.SendMessageAsync("control");
        await Eventually.TrueAsync(async () => (await _probe.RecordedAsync()).QueueDeliveries.Any(d => d.Body == "control"), TimeSpan.FromSeconds(10));

        Assert.Single((await _probe.RecordedAsync()).QueueDeliveries, d => d.Body == "hello");
        Assert.False(await _poison.ExistsAsync());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_retried_five_times_then_poisoned()
    {
        await _queue.SendMessageAsync("fail-always");

        await Eventually.TrueAsync(async () => await _poison.ExistsAsync() && (await _poison.PeekMessagesAsync()).Value.Length == 1, TimeSpan.FromSeconds(20), "the poison message");

        var attempts = (await _probe.RecordedAsync()).QueueDeliveries.Where(d => d.Body == "fail-always").Select(d => d.DequeueCount).ToList();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], attempts);
        Assert.Equal("fail-always", (await _poison.PeekMessagesAsync()).Value[0].Body.ToString());
        Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Failures_do_not_hold_up_other_messages()
    {
        await _queue.SendMessageAsync("fail-first");
        await _queue.SendMessageAsync("fine");

        await Eventually.TrueAsync(async () => (await _probe.RecordedAsync()).QueueDeliveries.Any(d => d.Body == "fine"), TimeSpan.FromSeconds(10));

        Assert.Single((await _probe.RecordedAsync()).QueueDeliveries, d => d.Body == "fine");
    }

    [Fact]
    public async Task A_queue_message_parameter_gets_the_message_the_worker_binds_from_model_binding_data()
    {
        var sent = (await _queue.SendMessageAsync("whole message")).Value;

        await Eventually.TrueAsync(async () => (await _probe.RecordedAsync()).QueueDeliveries.Any(d => d.Body == "whole message"), TimeSpan.FromSeconds(10));

        var delivery = (await _probe.RecordedAsync()).QueueDeliveries.Single(d => d.Body == "whole message");
        Assert.Equal(sent.MessageId, delivery.Id);
        Assert.Equal(sent.InsertionTime, DateTimeOffset.Parse(delivery.InsertionTime!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", delivery.TraceParent);
    }

    [Fact]
    public async Task Parameters_named_after_trigger_metadata_bind_to_the_messages_properties()
    {
        var sent = (await _text.SendMessageAsync("as text")).Value;

        await Eventually.TrueAsync(async () => (await _probe.RecordedAsync()).QueueDeliveries.Any(d => d.Function == "TextItem"), TimeSpan.FromSeconds(10));

        var delivery = (await _probe.RecordedAsync()).QueueDeliveries.Single(d => d.Function == "TextItem");
        Assert.Equal("as text", delivery.Body);
        Assert.Equal(sent.MessageId, delivery.Id);
        Assert.Equal(1, delivery.DequeueCount);
        Assert.Equal(sent.InsertionTime, DateTimeOffset.Parse(delivery.InsertionTime!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
