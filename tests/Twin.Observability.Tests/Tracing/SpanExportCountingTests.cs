using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using Twin.Observability.Tracing;
using Twin.Testing.Fakes.Langfuse;
using Twin.Testing.Metrics;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

/// <summary>
/// The Langfuse export's counters: spans of a batch Langfuse accepts are exported, those of a batch it refuses or
/// never answers failed (with the status, not the credential, as the reason), and spans the batch queue has no room
/// for dropped, each credited to the app whose queue was full.
/// </summary>
public sealed class SpanExportCountingTests : IDisposable
{
    private readonly ActivitySource _source = new("export-counting-test-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener _listener;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CounterRecorder _meter;
    private readonly SpanExportCounters _counters;

    public SpanExportCountingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        var meters = _services.GetRequiredService<IMeterFactory>();
        _meter = new CounterRecorder(SpanExportCounters.MeterName, meters);
        _counters = new SpanExportCounters(meters, TimeProvider.System);
    }

    [Fact]
    public async Task Spans_langfuse_accepts_are_counted_as_exported()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var exporter = Exporter(langfuse.TracesEndpoint, langfuse.BasicAuthorization);

        var result = exporter.Export(Batch(3));

        Assert.Equal(ExportResult.Success, result);
        Assert.Equal(3, langfuse.Spans.Count);
        Assert.Equal((3, 0, 0), Totals());
        Assert.Equal(new SpanExportSnapshot(3, 0, 0, null, null, null), _counters.Snapshot());
    }

    [Theory]
    [InlineData(FakeLangfuseMode.FailTraces500, "HTTP 500")]
    [InlineData(FakeLangfuseMode.RefuseKeys, "HTTP 401: Langfuse refused the keys")]
    public async Task Spans_of_a_batch_langfuse_refuses_are_counted_as_failed_with_the_status(FakeLangfuseMode mode, string reason)
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        langfuse.Mode = mode;
        using var exporter = Exporter(langfuse.TracesEndpoint, langfuse.BasicAuthorization);

        var before = DateTimeOffset.UtcNow;
        var results = new[] { exporter.Export(Batch(2)), exporter.Export(Batch(3)) };

        Assert.All(results, r => Assert.Equal(ExportResult.Failure, r));
        Assert.Empty(langfuse.Spans);
        Assert.Equal((0, 5, 0), Totals());
        var snapshot = _counters.Snapshot();
        Assert.Equal(reason, snapshot.LastFailure);
        Assert.InRange(snapshot.LastFailureAt!.Value, before, DateTimeOffset.UtcNow);
        Assert.DoesNotContain(langfuse.SecretKey, snapshot.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_is_not_carried_over_to_the_next_batch_and_recovery_counts_as_exported()
    {
        await using var langfuse = await FakeLangfuse.StartAsync();
        using var exporter = Exporter(langfuse.TracesEndpoint, langfuse.BasicAuthorization);

        langfuse.Mode = FakeLangfuseMode.FailTraces500;
        exporter.Export(Batch(1));
        langfuse.Mode = FakeLangfuseMode.Normal;
        exporter.Export(Batch(4));

        Assert.Equal((4, 1, 0), Totals());
        Assert.Equal("HTTP 500", _counters.Snapshot().LastFailure);
    }

    [Fact]
    public void A_batch_nobody_answers_fails_as_no_answer()
    {
        // Nothing listens on the discard port.
        using var exporter = Exporter("http://127.0.0.1:9/api/public/otel/v1/traces", FakeLangfuse.BasicAuthorizationFor("pk", "sk"));

        Assert.Equal(ExportResult.Failure, exporter.Export(Batch(2)));

        Assert.Equal((0, 2, 0), Totals());
        Assert.StartsWith("no answer (", _counters.Snapshot().LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_the_full_queue_refuses_are_counted_as_dropped_for_the_app_whose_queue_it_is()
    {
        var owner = new TraceOwner();
        using var stuck = new BlockingExporter();
        using var processor = new OwnedBatchExportProcessor(owner, stuck, _counters, maxQueueSize: 2, scheduledDelayMilliseconds: 60_000, exporterTimeoutMilliseconds: 60_000);
        var otherCounters = new SpanExportCounters(_services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        var otherOwner = new TraceOwner();
        using var otherStuck = new BlockingExporter();
        using var other = new OwnedBatchExportProcessor(otherOwner, otherStuck, otherCounters, maxQueueSize: 3, scheduledDelayMilliseconds: 60_000, exporterTimeoutMilliseconds: 60_000);

        // The exporter holds its batch without reading it, so the queue stays full: the first two are queued, the rest dropped.
        for (var i = 0; i < 10; i++)
        {
            processor.OnEnd(Span(owner));
        }

        for (var i = 0; i < 5; i++)
        {
            other.OnEnd(Span(otherOwner));
            // Another app's span: not this processor's to queue, nor to drop.
            processor.OnEnd(Span(otherOwner));
        }

        Assert.Equal(8, _counters.Snapshot().Dropped);
        Assert.NotNull(_counters.Snapshot().LastDropAt);
        Assert.Equal(2, otherCounters.Snapshot().Dropped);
        // Both apps' counters share this test's meter factory, as the instruments of one process would.
        Assert.Equal(10, _meter.Total(SpanExportCounters.DroppedName));
        stuck.Release();
        otherStuck.Release();
    }

    public void Dispose()
    {
        _meter.Dispose();
        _services.Dispose();
        _listener.Dispose();
        _source.Dispose();
    }

    private (long Exported, long Failed, long Dropped) Totals() =>
        (_meter.Total(SpanExportCounters.ExportedName), _meter.Total(SpanExportCounters.FailedName), _meter.Total(SpanExportCounters.DroppedName));

    private CountingOtlpTraceExporter Exporter(string endpoint, string authorization) => CountingOtlpTraceExporter.Create(
        new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Endpoint = new Uri(endpoint),
            Headers = $"Authorization={authorization}",
            TimeoutMilliseconds = 5_000,
        },
        _counters);

    private Batch<Activity> Batch(int count)
    {
        var spans = Enumerable.Range(0, count).Select(i =>
        {
            var span = _source.StartActivity($"span {i}")!;
            span.Stop();
            return span;
        }).ToArray();
        return new Batch<Activity>(spans, spans.Length);
    }

    private Activity Span(TraceOwner owner)
    {
        var span = _source.StartActivity("owned")!;
        new TraceScope { Name = "test", Environment = "test", Owner = owner }.AttachTo(span);
        span.Stop();
        return span;
    }

    /// <summary>An exporter stuck in its first export until released, never reading the batch.</summary>
    private sealed class BlockingExporter : BaseExporter<Activity>
    {
        private readonly ManualResetEventSlim _released = new();

        public void Release() => _released.Set();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            _released.Wait(TimeSpan.FromMinutes(1));
            return ExportResult.Success;
        }

        protected override void Dispose(bool disposing)
        {
            _released.Set();
            base.Dispose(disposing);
        }
    }
}
