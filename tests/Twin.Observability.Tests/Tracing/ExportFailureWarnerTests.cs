using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Twin.Observability.Tracing;
using Twin.Testing;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

/// <summary>The export warning: logged when spans are lost, at most once a minute, with what was lost since the last.</summary>
public sealed class ExportFailureWarnerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly TimerSignallingTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly LogRecorder _logs = new();
    private readonly SpanExportCounters _counters;
    private readonly ExportFailureWarner _warner;

    public ExportFailureWarnerTests()
    {
        _counters = new SpanExportCounters(_services.GetRequiredService<IMeterFactory>(), _time);
        _warner = new ExportFailureWarner(_counters, Options.Create(new SpanExportOptions()), _time, _logs.For<ExportFailureWarner>());
    }

    private List<string> Warnings => _logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();

    // Each test starts the warner once its first counts are in: started earlier, it could wake between two counts and
    // warn about the first alone (the race these tests once had).
    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lost_spans_are_warned_about_at_once_then_at_most_once_a_minute_with_the_counts_since_the_last_warning()
    {
        // Exports that succeed are never warned about: the first warning below is about the failure alone.
        _counters.Exported(10);
        _time.Advance(TimeSpan.FromMinutes(2));
        _counters.Failed(3, "HTTP 500");
        _counters.Dropped(2);
        await _warner.StartAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => Warnings.Count == 1, Wait, "the first warning");
        Assert.Equal("Langfuse trace export failed: 3 spans failed and 2 dropped in the last 1 min (HTTP 500)", Warnings[0]);

        // Within the minute the warner does not log but waits on the clock for the minute's end: its timer is the
        // event to wait for, and the clock is only moved once it is set.
        var waiting = _time.NextTimerAsync();
        _counters.Failed(4, "HTTP 503");
        await waiting.WaitAsync(Wait);
        _time.Advance(TimeSpan.FromSeconds(59));
        _counters.Failed(1, "HTTP 502");
        _counters.Dropped(6);
        _time.Advance(TimeSpan.FromSeconds(1));

        // The positive control: the second warning carries the spans lost within the minute, so none was logged alone.
        await Eventually.TrueAsync(() => Warnings.Count >= 2, Wait, "the second warning");
        Assert.Equal(
            ["Langfuse trace export failed: 3 spans failed and 2 dropped in the last 1 min (HTTP 500)",
             "Langfuse trace export failed: 5 spans failed and 6 dropped in the last 1 min (HTTP 502)"],
            Warnings);
    }

    [Fact]
    public async Task Drops_alone_are_warned_about_as_a_full_queue_and_a_quiet_period_is_not()
    {
        _counters.Dropped(7);
        await _warner.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Warnings.Count == 1, Wait, "the warning");

        _time.Advance(TimeSpan.FromMinutes(5));
        _counters.Exported(100);
        _time.Advance(TimeSpan.FromMinutes(5));
        _counters.Failed(1, "timed out");
        // The positive control: the next warning is about the failure after the quiet period; a warning about the
        // quiet period would have come before it and shows in the list.
        await Eventually.TrueAsync(() => Warnings.Count >= 2, Wait, "the warning after the quiet period");

        Assert.Equal(
            ["Langfuse trace export failed: 0 spans failed and 7 dropped in the last 1 min (queue full)",
             "Langfuse trace export failed: 1 spans failed and 0 dropped in the last 1 min (timed out)"],
            Warnings);
    }

    public async Task DisposeAsync()
    {
        await _warner.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    public void Dispose() => _warner.Dispose();
}

/// <summary>A fake clock that tells when a timer is set on it: the warner's wait for the end of its minute.</summary>
internal sealed class TimerSignallingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next timer is created after this call.</summary>
    public Task NextTimerAsync()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _created, next);
        return next.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Volatile.Read(ref _created).TrySetResult();
        return timer;
    }
}
