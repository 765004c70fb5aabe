using System.Diagnostics;
using Twin.Observability.Security;
using Twin.Observability.Tracing;
using Xunit;

namespace Twin.Observability.Tests.Tracing;

public sealed class RedactingSpanProcessorTests : IDisposable
{
    private const string Secret = "sk-canary-0123456789";
    private readonly ActivitySource _source = new("redaction-test-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener _listener;
    private readonly RedactingSpanProcessor _processor = new(new SecretRedactor([Secret]));

    public RedactingSpanProcessorTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void Status_and_error_attributes_lose_their_secrets()
    {
        using var span = _source.StartActivity("chat gpt")!;
        span.SetStatus(ActivityStatusCode.Error, $"HTTP 502: Authorization: Bearer {Secret}");
        span.SetTag("error.type", "System.ClientModel.ClientResultException");
        span.SetTag(LangfuseAttributes.StatusMessage, $"upstream said {Secret}");
        span.SetTag("exception.message", $"echo {Secret}");
        span.Stop();

        _processor.OnEnd(span);

        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal($"HTTP 502: Authorization: Bearer {SecretRedactor.Mask}", span.StatusDescription);
        Assert.Equal("System.ClientModel.ClientResultException", span.GetTagItem("error.type"));
        Assert.Equal($"upstream said {SecretRedactor.Mask}", span.GetTagItem(LangfuseAttributes.StatusMessage));
        Assert.Equal($"echo {SecretRedactor.Mask}", span.GetTagItem("exception.message"));
    }

    [Fact]
    public void Request_and_reply_attributes_are_left_as_they_are()
    {
        using var span = _source.StartActivity("generate")!;
        span.SetTag(LangfuseAttributes.Input, $"the user pasted {Secret}");
        span.SetStatus(ActivityStatusCode.Ok);
        span.Stop();

        _processor.OnEnd(span);

        Assert.Equal($"the user pasted {Secret}", span.GetTagItem(LangfuseAttributes.Input));
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
        _processor.Dispose();
    }
}
