namespace Twin.Observability.Tracing;

/// <summary>
/// A span's input or output (<see cref="LangfuseAttributes.Input"/>, <see cref="LangfuseAttributes.Output"/>) held as
/// the value it shows and turned into JSON only when an exporter writes the attribute: the OTLP exporter writes a
/// value of a type it does not know as its <see cref="ToString"/>, on its background thread. So a chat pays for the
/// JSON of its spans off the request path, and not at all when no exporter runs. The value must not change once set
/// (records of strings and numbers, or lists nobody changes later).
/// </summary>
public sealed class SpanPayload
{
    private readonly object _value;
    private readonly Func<object, string> _toJson;
    private string? _json;

    private SpanPayload(object value, Func<object, string> toJson)
    {
        _value = value;
        _toJson = toJson;
    }

    /// <summary>A string as it is (nothing to defer), anything else as a payload written with <paramref name="toJson"/>.</summary>
    public static object Of(object value, Func<object, string> toJson) =>
        value as string ?? (object)new SpanPayload(value, toJson);

    // Exporters may run more than once (Langfuse and Azure Monitor): the JSON is made once. A race makes it twice, the same.
    public override string ToString() => _json ??= _toJson(_value);
}
