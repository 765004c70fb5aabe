using Google.Protobuf;
using Google.Protobuf.Collections;
using Twin.Testing.Fakes.Langfuse.Otlp;

namespace Twin.Testing.Fakes.Langfuse;

/// <summary>Turns a decoded OTLP export into <see cref="ReceivedSpan"/>s that tests can assert on without protobuf types.</summary>
internal static class OtlpSpanReader
{
    public static IReadOnlyList<ReceivedSpan> Read(ExportTraceServiceRequest request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = Attributes(resourceSpans.Resource?.Attributes);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    spans.Add(Read(span, resource, scopeSpans.Scope));
                }
            }
        }

        return spans;
    }

    private static ReceivedSpan Read(Span span, IReadOnlyDictionary<string, object?> resource, InstrumentationScope? scope) => new(
        TraceId: Hex(span.TraceId),
        SpanId: Hex(span.SpanId),
        ParentSpanId: span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
        Name: span.Name,
        Kind: Kind(span.Kind),
        StartTime: Time(span.StartTimeUnixNano),
        EndTime: Time(span.EndTimeUnixNano),
        StatusCode: StatusCode(span.Status?.Code ?? Status.Types.StatusCode.Unset),
        StatusMessage: span.Status?.Message ?? "",
        Attributes: Attributes(span.Attributes),
        ResourceAttributes: resource,
        ScopeName: scope?.Name ?? "",
        ScopeVersion: scope?.Version ?? "",
        Events: span.Events.Select(e => new ReceivedSpanEvent(e.Name, Time(e.TimeUnixNano), Attributes(e.Attributes))).ToList(),
        Links: span.Links.Select(l => new ReceivedSpanLink(Hex(l.TraceId), Hex(l.SpanId), Attributes(l.Attributes))).ToList());

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    // OTLP times are nanoseconds since the Unix epoch; DateTimeOffset keeps 100 ns ticks.
    private static DateTimeOffset Time(ulong unixNanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(unixNanos / 100));

    private static string Kind(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "Internal",
        Span.Types.SpanKind.Server => "Server",
        Span.Types.SpanKind.Client => "Client",
        Span.Types.SpanKind.Producer => "Producer",
        Span.Types.SpanKind.Consumer => "Consumer",
        _ => "Unspecified",
    };

    private static string StatusCode(Status.Types.StatusCode code) => code switch
    {
        Status.Types.StatusCode.Ok => "Ok",
        Status.Types.StatusCode.Error => "Error",
        _ => "Unset",
    };

    /// <summary>
    /// The attribute keys a span of the export repeats. OTLP requires them unique; what a backend makes of a repeated
    /// key is its own (the reader keeps the last), so the fake reports them as violations.
    /// </summary>
    public static IReadOnlyList<string> RepeatedKeys(ExportTraceServiceRequest export) =>
        export.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans)
            .SelectMany(span => span.Attributes.GroupBy(a => a.Key, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"span '{span.Name}' repeats attribute '{g.Key}' {g.Count()} times"))
            .ToList();

    private static Dictionary<string, object?> Attributes(RepeatedField<KeyValue>? attributes)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var attribute in attributes ?? [])
        {
            // Keys must be unique; if an exporter repeats one, the last wins as in most backends.
            result[attribute.Key] = Value(attribute.Value);
        }

        return result;
    }

    private static object? Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(Value).ToList(),
        AnyValue.ValueOneofCase.KvlistValue => Attributes(value.KvlistValue.Values),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        _ => null,
    };
}
