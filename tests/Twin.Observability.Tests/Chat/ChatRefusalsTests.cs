using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Chat;
using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Chat;

/// <summary>Rate-limited chats counted per key and minute: one traced, the rest dropped, one row per minute with the count.</summary>
public sealed class ChatRefusalsTests
{
    private static readonly RefusalKey Key = new("ada", "chat-widget", ChatErrorTypes.RateLimited, "test");

    [Fact]
    public void The_first_refusal_of_a_minute_is_traced_with_the_previous_minutes_count_and_the_rest_are_dropped()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 5, TimeSpan.Zero));
        var refusals = new ChatRefusals(clock);
        var scopes = Enumerable.Range(0, 3).Select(_ => new TraceScope { Name = "chat-widget", Environment = "test" }).ToList();
        for (var i = 0; i < 3; i++)
        {
            refusals.Count(Key, new ChatAttempt(scopes[i]), null, $"trace{i}", $"span{i}");
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        var next = new TraceScope { Name = "chat-widget", Environment = "test" };
        refusals.Count(Key, new ChatAttempt(next), null, "trace3", "span3");

        Assert.Equal([false, true, true], scopes.Select(s => s.Dropped));
        Assert.Equal("0", scopes[0].Metadata["refusals_previous_minute"]);
        Assert.False(next.Dropped);
        Assert.Equal("3", next.Metadata["refusals_previous_minute"]);
    }

    [Fact]
    public void A_minute_is_due_once_it_ended_as_one_row_and_again_only_when_its_count_grew()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 5, TimeSpan.Zero));
        var refusals = new ChatRefusals(clock);
        refusals.Count(Key, new ChatAttempt(new TraceScope { Name = "t", Environment = "test" }), null, "trace0", "span0");
        refusals.Count(Key, new ChatAttempt(new TraceScope { Name = "t", Environment = "test" }), null, "trace1", "span1");

        Assert.Empty(refusals.Due(all: false));
        var onShutdown = Assert.Single(refusals.Due(all: true));
        Assert.Equal((2L, "trace0", "span0", 429, "ada"), (onShutdown.Row.Count, onShutdown.Row.TraceId, onShutdown.Row.ObservationId, onShutdown.Row.HttpStatus, onShutdown.Row.TwinId));

        clock.Advance(TimeSpan.FromMinutes(1));
        var due = Assert.Single(refusals.Due(all: false));
        due.Written();
        Assert.Empty(refusals.Due(all: false));
    }
}
