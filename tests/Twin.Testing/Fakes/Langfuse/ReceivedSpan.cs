namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// A span as <see cref="FakeLangfuse"/> decoded it from OTLP. Ids are lower-case hex, as
/// <c>ActivityTraceId.ToHexString()</c> writes them. Attribute values are <see cref="string"/>, <see cref="bool"/>,
/// <see cref="long"/>, <see cref="double"/>, <c>byte[]</c>, <see cref="IReadOnlyList{T}"/> of those (arrays),
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/> (key-value lists) or null (an empty value).
/// </summary>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    string StatusCode,
    string StatusMessage,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyDictionary<string, object?> ResourceAttributes,
    string ScopeName,
    string ScopeVersion,
    IReadOnlyList<ReceivedSpanEvent> Events,
    IReadOnlyList<ReceivedSpanLink> Links)
{
    /// <summary>The attribute's value, or null when the span lacks it.</summary>
    public object? Attribute(string key) => Attributes.GetValueOrDefault(key);

    public override string ToString() =>
        $"{Name} [{Kind}, {StatusCode}] trace {TraceId} span {SpanId} parent {ParentSpanId ?? "-"} ({Attributes.Count} attributes)";
}

/// <summary>A time-stamped event recorded on a span (an exception, a log line).</summary>
public sealed record ReceivedSpanEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>A link from a span to another span, possibly of another trace.</summary>
public sealed record ReceivedSpanLink(string TraceId, string SpanId, IReadOnlyDictionary<string, object?> Attributes);
