using Twin.Observability.Tracing;

namespace Twin.Observability.Chat;

/// <summary>
/// What is known about one chat request as admission and the pipeline go on: who the caller turned out to be, which
/// page origin may read the answer, which conversation it joined. Caller and conversation go onto the trace scope as
/// soon as they are known, so every span that ends after that carries them; a refused or failed chat is recorded and
/// answered with what was known when it stopped.
/// </summary>
public sealed class ChatAttempt(TraceScope scope)
{
    /// <summary>The user, visitor or share-link id, once established.</summary>
    public string? UserId
    {
        get => scope.UserId;
        set => scope.UserId = value;
    }

    public string? ConversationId
    {
        get => scope.SessionId;
        set => scope.SessionId = value;
    }

    /// <summary>The trace's environment: the app's, until the caller turns out to be a synthetic check.</summary>
    public string Environment => scope.Environment;

    /// <summary>
    /// The caller is the app's own synthetic check: its trace and ledger row go to environment <c>synthetic</c> with
    /// the tag <c>synthetic</c>, which keeps the chat out of users' metrics (<see cref="Metrics.MetricEnvironments"/>).
    /// </summary>
    public void MarkSynthetic()
    {
        scope.Environment = Metrics.MetricEnvironments.Synthetic;
        scope.AddTag(Metrics.MetricEnvironments.Synthetic);
    }

    /// <summary>The A/B test the chat joined and its variant, once assigned.</summary>
    public string? Experiment { get; private set; }

    public string? Variant { get; private set; }

    /// <summary>
    /// The chat joined an A/B test: its trace is tagged <c>experiment:{id}</c> and <c>variant:{name}</c> and carries
    /// both in its metadata, and its ledger row names them, which is what the test's results are computed from.
    /// </summary>
    public void JoinExperiment(string testId, string variant)
    {
        Experiment = testId;
        Variant = variant;
        scope.AddTag("experiment:" + testId);
        scope.AddTag("variant:" + variant);
        scope.SetMetadata("experiment_id", testId);
        scope.SetMetadata("variant", variant);
    }

    /// <summary>The request's metadata, once its body is read: onto every span that ends from then on.</summary>
    public void AddMetadata(IReadOnlyDictionary<string, string> metadata) => scope.AddMetadata(metadata);

    /// <summary>The widget origin allowed to read the answer (CORS), once the twin accepted it.</summary>
    public string? CorsOrigin { get; set; }
}
