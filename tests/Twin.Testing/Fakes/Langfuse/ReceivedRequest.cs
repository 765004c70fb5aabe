namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// One request to the OTLP endpoint of <see cref="FakeLangfuse"/>, whatever its outcome. <see cref="StatusCode"/> is
/// the status the fake chose (in <see cref="FakeLangfuseMode.Hang"/> the one it answers if the client still waits).
/// </summary>
public sealed record ReceivedRequest(
    DateTimeOffset At,
    FakeLangfuseMode Mode,
    bool AuthAccepted,
    int StatusCode,
    string? ContentType,
    string? ContentEncoding,
    IReadOnlyDictionary<string, string> Headers,
    int SpanCount,
    string? Error)
{
    /// <summary>The <c>x-langfuse-ingestion-version</c> header, which selects Langfuse's OTLP ingestion pipeline.</summary>
    public string? IngestionVersion => Header("x-langfuse-ingestion-version");

    /// <summary>A request header (case-insensitive name), or null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() =>
        $"{At:HH:mm:ss.fff} {Mode} auth={(AuthAccepted ? "ok" : "rejected")} -> {StatusCode}, {SpanCount} spans{(Error is null ? "" : $" ({Error})")}";
}
