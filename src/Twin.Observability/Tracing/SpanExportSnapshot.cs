namespace Twin.Observability.Tracing;

/// <summary>
/// What became of the spans sent to Langfuse since the app started: exported, failed (the export was refused or did not
/// arrive) and dropped (the queue was full), with when the latest failure and drop happened and why the export failed.
/// </summary>
public sealed record SpanExportSnapshot(
    long Exported,
    long Failed,
    long Dropped,
    DateTimeOffset? LastFailureAt,
    string? LastFailure,
    DateTimeOffset? LastDropAt)
{
    /// <summary>When spans were last lost, failed or dropped; null while none were.</summary>
    public DateTimeOffset? LastTroubleAt => LastDropAt is null || LastFailureAt > LastDropAt ? LastFailureAt : LastDropAt;
}

/// <summary>Spans lost since the previous warning, from <see cref="Since"/>, and why the last failed export failed.</summary>
public sealed record UnreportedExportTrouble(long Failed, long Dropped, DateTimeOffset Since, string? LastFailure)
{
    public bool IsEmpty => Failed == 0 && Dropped == 0;
}
