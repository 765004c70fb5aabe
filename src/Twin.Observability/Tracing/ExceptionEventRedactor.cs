using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Twin.Observability.Security;

namespace Twin.Observability.Tracing;

/// <summary>
/// Redacts the exceptions recorded on the app's spans (<see cref="Activity.AddException"/>, used by libraries) as they
/// are recorded: an event's tags cannot be changed once it is on the span, so <see cref="RedactingSpanProcessor"/>
/// cannot reach them. It writes the redacted <c>exception.message</c> and <c>exception.stacktrace</c> first, and
/// <see cref="Activity.AddException"/> then leaves those tags as they are. It takes no part in sampling.
/// </summary>
internal sealed class ExceptionEventRedactor : IHostedService, IDisposable
{
    private readonly SecretRedactor _redactor;
    private readonly ActivityListener _listener;

    public ExceptionEventRedactor(SecretRedactor redactor)
    {
        _redactor = redactor;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TwinTelemetry.SourceName,
            ExceptionRecorder = Record,
        };
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void Record(Activity activity, Exception exception, ref TagList tags)
    {
        var hasMessage = false;
        var hasStackTrace = false;
        for (var i = 0; i < tags.Count; i++)
        {
            var (key, value) = tags[i];
            hasMessage |= key == "exception.message";
            hasStackTrace |= key == "exception.stacktrace";
            if (value is string text && _redactor.Redact(text) is var clean && clean != text)
            {
                tags[i] = new(key, clean);
            }
        }

        if (!hasMessage)
        {
            tags.Add("exception.message", _redactor.Redact(exception.Message));
        }

        if (!hasStackTrace)
        {
            tags.Add("exception.stacktrace", _redactor.Redact(exception.ToString()));
        }
    }
}
