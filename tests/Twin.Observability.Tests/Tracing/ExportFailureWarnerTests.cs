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
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly LogRecorder _logs = new();
    private readonly SpanExportCounters _counters;
    private readonly ExportFailureWarner _warner;

    public ExportFailureWarnerTests()
    {
        _counters = new SpanExportCounters(_services.GetRequiredService<IMeterFactory>(), _time);
        _warner = new ExportFailureWarner(_counters, Options.Create(new SpanExportOptions()), _time, _logs.For<ExportFailureWarner>());
    }

    private List<string> Warnings => _logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();

    public Task InitializeAsync() => _warner.StartAsync(CancellationToken.None);

    [Fact]
    public async Task Lost_spans_are_warned_about_at_once_then_at_most_once_a_minute_with_the_counts_since_the_last_warning()
    {
        // Exports that succeed are never warned about: the first warning below is about the failure alone.
        _counters.Exported(10);
        _time.Advance(TimeSpan.FromMinutes(2));

        _counters.Failed(3, "HTTP 500");
        _counters.Dropped(2);
        await Eventually.TrueAsync(() => Warnings.Count == 1, Wait, "the first warning");
        Assert.Equal("Langfuse trace export failed: 3 spans failed and 2 dropped in the last 1 min (HTTP 500)", Warnings[0]);

        // Within the minute: nothing more is logged, whatever fails.
        _counters.Failed(4, "HTTP 503");
        await StaysAsync(() => Warnings.Count == 1, "one warning within the minute");
        _time.Advance(TimeSpan.FromSeconds(59));
        await StaysAsync(() => Warnings.Count == 1, "one warning within the minute");
        _counters.Failed(1, "HTTP 502");
        _counters.Dropped(6);
        _time.Advance(TimeSpan.FromSeconds(1));

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
        await Eventually.TrueAsync(() => Warnings.Count == 1, Wait, "the warning");

        _time.Advance(TimeSpan.FromMinutes(5));
        _counters.Exported(100);
        _time.Advance(TimeSpan.FromMinutes(5));
        _counters.Failed(1, "timed out");
        await Eventually.TrueAsync(() => Warnings.Count >= 2, Wait, "the warning after the quiet period");

        Assert.Equal(
            ["Langfuse trace export failed: 0 spans failed and 7 dropped in the last 1 min (queue full)",
             "Langfuse trace export failed: 1 spans failed and 0 dropped in the last 1 min (timed out)"],
            Warnings);
    }

    // A warning not logged cannot be waited for: the warner gets a moment to log it, as it would at once if unthrottled.
    private static async Task StaysAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMilliseconds(300);
        while (DateTime.UtcNow < until)
        {
            Assert.True(condition(), what);
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        await _warner.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    public void Dispose() => _warner.Dispose();
}
