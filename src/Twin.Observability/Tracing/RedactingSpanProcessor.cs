using System.Diagnostics;
using OpenTelemetry;
using Twin.Observability.Security;

namespace Twin.Observability.Tracing;

/// <summary>
/// Redacts, as each span ends and before any exporter sees it, the parts of a span where error text lands: the status
/// description and the error and exception attributes. Spans of libraries (Microsoft.Extensions.AI's gen_ai spans put
/// the exception's message in their status) are covered as well as the app's own; request and reply attributes are
/// left as they are. Recorded exception events are redacted as they are recorded (<see cref="ExceptionEventRedactor"/>).
/// </summary>
internal sealed class RedactingSpanProcessor(SecretRedactor redactor) : BaseProcessor<Activity>
{
    private static readonly string[] ErrorAttributes =
    [
        "exception.message",
        "exception.stacktrace",
        "error.message",
        "otel.status_description",
        LangfuseAttributes.StatusMessage,
    ];

    public override void OnEnd(Activity data)
    {
        if (data.StatusDescription is { } description && redactor.Redact(description) is var redacted && redacted != description)
        {
            data.SetStatus(data.Status, redacted);
        }

        // One pass over the span's tags rather than a lookup (a walk of the tags) per error attribute; most spans
        // have none of them, and a span's tags cannot change while they are enumerated, so changes are made after.
        List<KeyValuePair<string, string>>? redactions = null;
        foreach (var (key, value) in data.EnumerateTagObjects())
        {
            if (value is string text && Array.IndexOf(ErrorAttributes, key) >= 0 && redactor.Redact(text) is var clean && clean != text)
            {
                (redactions ??= []).Add(new(key, clean));
            }
        }

        foreach (var (key, clean) in redactions ?? [])
        {
            data.SetTag(key, clean);
        }
    }
}
