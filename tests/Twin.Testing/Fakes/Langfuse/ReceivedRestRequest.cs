namespace Twin.Testing.Fakes.Langfuse;

/// <summary>
/// One request to a REST route of <see cref="FakeLangfuse"/> (prompts, scores, datasets, dataset items), whatever its
/// outcome. <see cref="Path"/> is the path as received (folder names keep their <c>%2F</c>); <see cref="Query"/> the
/// query string with its <c>?</c>, or empty.
/// </summary>
public sealed record ReceivedRestRequest(
    DateTimeOffset At,
    FakeLangfuseMode Mode,
    string Method,
    string Path,
    string Query,
    bool AuthAccepted,
    int StatusCode,
    string? Error)
{
    public override string ToString() =>
        $"{At:HH:mm:ss.fff} {Mode} {Method} {Path}{Query} auth={(AuthAccepted ? "ok" : "rejected")} -> {StatusCode}{(Error is null ? "" : $" ({Error})")}";
}
