using System.ComponentModel.DataAnnotations;
using Twin.Observability.Dashboard;
using Xunit;

namespace Twin.Observability.Tests.Dashboard;

/// <summary>The dashboard stream's cursor (its text form) and its "new since the last event" rule.</summary>
public sealed class StreamCursorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_cursor_survives_its_text_form()
    {
        var cursor = new StreamCursor(Now.AddTicks(-1234567), new HashSet<string> { StreamCursor.HashOf("row-a"), StreamCursor.HashOf("alert:b") });
        var text = cursor.Encode();

        var back = StreamCursor.TryDecode(text);

        Assert.NotNull(back);
        Assert.Equal(cursor.Floor, back.Floor);
        Assert.Equal(cursor.Seen.Order(), back.Seen.Order());
        Assert.DoesNotContain('\n', text);
        Assert.DoesNotContain('\r', text);
        Assert.All(text, c => Assert.True(char.IsAscii(c)));
        Assert.Equal(text, back.Encode());
    }

    [Fact]
    public void An_empty_cursor_survives_its_text_form()
    {
        var back = StreamCursor.TryDecode(new StreamCursor(Now, new HashSet<string>()).Encode());
        Assert.NotNull(back);
        Assert.Equal(Now, back.Floor);
        Assert.Empty(back.Seen);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("v2.638000000000000000.")]
    [InlineData("v1.-5.")]
    [InlineData("v1.99999999999999999999.")]
    [InlineData("v1.638000000000000000.0123")]
    [InlineData("v1.638000000000000000.0123456789ABCDEF")]
    [InlineData("v1.638000000000000000.0123456789abcdeg")]
    [InlineData("v1.638000000000000000.0123456789abcdef.more")]
    public void Anything_else_is_no_cursor(string? text) => Assert.Null(StreamCursor.TryDecode(text));

    [Fact]
    public void Hashes_are_stable_and_fixed_length()
    {
        Assert.Equal(StreamCursor.HashOf("20250603115959-abc-def"), StreamCursor.HashOf("20250603115959-abc-def"));
        Assert.NotEqual(StreamCursor.HashOf("a"), StreamCursor.HashOf("b"));
        Assert.Equal(16, StreamCursor.HashOf("").Length);
    }

    [Fact]
    public void Items_after_the_floor_not_seen_are_new_and_the_rest_are_not()
    {
        var cursor = new StreamCursor(Now.AddSeconds(-60), new HashSet<string> { StreamCursor.HashOf("sent") });
        var read = new[]
        {
            new StreamItem("sent", Now.AddSeconds(-30)),
            new StreamItem("fresh", Now.AddSeconds(-1)),
            new StreamItem("late", Now.AddSeconds(-50)),
            new StreamItem("old", Now.AddSeconds(-61)),
            new StreamItem("at-floor", Now.AddSeconds(-60)),
        };

        var step = StreamWindow.Advance(cursor, read, Now);

        Assert.Equal(["fresh", "late"], step.NewKeys.Order());
        // Everything still inside the late window is remembered, sent before or now.
        Assert.Equal(Now - StreamWindow.LateWindow > cursor.Floor ? Now - StreamWindow.LateWindow : cursor.Floor, step.Next.Floor);
        Assert.Equal(new[] { "sent", "fresh", "late" }.Select(StreamCursor.HashOf).Order(), step.Next.Seen.Order());
    }

    [Fact]
    public void The_next_round_does_not_repeat_and_catches_a_row_written_late()
    {
        var start = new StreamCursor(Now - StreamWindow.LateWindow, new HashSet<string>());
        var first = StreamWindow.Advance(start, [new StreamItem("a", Now.AddSeconds(-2))], Now);
        Assert.Equal(["a"], first.NewKeys);

        // Five seconds on, a row stamped before "a" appears (it was written after it), beside "a" read again.
        var later = Now.AddSeconds(5);
        var second = StreamWindow.Advance(
            StreamCursor.TryDecode(first.Next.Encode())!,
            [new StreamItem("a", Now.AddSeconds(-2)), new StreamItem("b", Now.AddSeconds(-3)), new StreamItem("c", later.AddSeconds(-1))],
            later);

        Assert.Equal(["b", "c"], second.NewKeys.Order());
        Assert.Equal(new[] { "a", "b", "c" }.Select(StreamCursor.HashOf).Order(), second.Next.Seen.Order());
    }

    [Fact]
    public void The_floor_trails_now_by_the_late_window_and_never_moves_back()
    {
        var ahead = new StreamCursor(Now.AddSeconds(-10), new HashSet<string>());
        Assert.Equal(Now.AddSeconds(-10), StreamWindow.Advance(ahead, [], Now).Next.Floor);

        var behind = new StreamCursor(Now.AddHours(-1), new HashSet<string> { StreamCursor.HashOf("gone") });
        var step = StreamWindow.Advance(behind, [new StreamItem("gone", Now.AddMinutes(-30))], Now);
        Assert.Equal(Now - StreamWindow.LateWindow, step.Next.Floor);
        Assert.Empty(step.Next.Seen);
        Assert.Empty(step.NewKeys);
    }

    [Fact]
    public void A_busy_window_raises_the_floor_so_the_cursor_stays_bounded()
    {
        var start = new StreamCursor(Now - StreamWindow.LateWindow, new HashSet<string>());
        var read = Enumerable.Range(0, StreamWindow.MaxSeen + 50).Select(i => new StreamItem($"r{i}", Now.AddMilliseconds(-i * 10))).ToList();

        var step = StreamWindow.Advance(start, read, Now);

        Assert.Equal(read.Count, step.NewKeys.Count);
        Assert.Equal(StreamWindow.MaxSeen, step.Next.Seen.Count);
        // The newest are remembered; the floor sits on the first one left out, so nothing at or under it comes back.
        Assert.Equal(read[StreamWindow.MaxSeen].At, step.Next.Floor);
        var again = StreamWindow.Advance(step.Next, read, Now.AddSeconds(1));
        Assert.Empty(again.NewKeys);
    }

    [Theory]
    [InlineData(5, 230, true)]
    [InlineData(1, 1, true)]
    [InlineData(0, 230, false)]
    [InlineData(61, 230, false)]
    [InlineData(5, 231, false)]
    [InlineData(10, 5, false)]
    public void The_options_are_validated(int interval, int max, bool valid)
    {
        var options = new DashboardOptions { StreamIntervalSeconds = interval, StreamMaxSeconds = max };
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
