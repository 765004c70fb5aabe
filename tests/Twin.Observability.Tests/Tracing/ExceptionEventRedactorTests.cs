using System.Diagnostics;
using Twin.Observability.Security;
using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

public sealed class ExceptionEventRedactorTests : IDisposable
{
    private const string Secret = "sk-canary-9876543210";
    private readonly ActivityListener _sampler = new()
    {
        ShouldListenTo = s => s.Name == TwinTelemetry.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private readonly ExceptionEventRedactor _redactor = new(new SecretRedactor([Secret]));

    public ExceptionEventRedactorTests() => ActivitySource.AddActivityListener(_sampler);

    [Fact]
    public async Task An_exception_recorded_on_an_app_span_is_recorded_without_its_secrets()
    {
        await _redactor.StartAsync(default);
        using var span = TwinTelemetry.Source.StartActivity("chat gpt")!;

        span.AddException(new InvalidOperationException($"the key {Secret} is wrong", new InvalidOperationException($"inner {Secret}")));
        span.AddException(new InvalidOperationException("plain"), new TagList { { "exception.message", $"own {Secret}" } });

        var events = span.Events.ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.DoesNotContain(e.Tags, t => t.Value is string s && s.Contains(Secret, StringComparison.Ordinal)));
        Assert.Contains(events[0].Tags, t => t.Key == "exception.message" && Equals(t.Value, $"the key {SecretRedactor.Mask} is wrong"));
        Assert.Contains(events[0].Tags, t => t.Key == "exception.stacktrace" && t.Value is string s && s.Contains("inner " + SecretRedactor.Mask, StringComparison.Ordinal));
        Assert.Contains(events[0].Tags, t => t.Key == "exception.type" && Equals(t.Value, typeof(InvalidOperationException).FullName));
        Assert.Single(events[1].Tags, t => t.Key == "exception.message");
        Assert.Contains(events[1].Tags, t => t.Key == "exception.message" && Equals(t.Value, $"own {SecretRedactor.Mask}"));
    }

    public void Dispose()
    {
        _redactor.Dispose();
        _sampler.Dispose();
    }
}
