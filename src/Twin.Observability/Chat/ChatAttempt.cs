using Twin.Observability.Tracing;
using Twin.Observability.Twins;

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

    /// <summary>The trace is not to be exported (<see cref="TraceScope.Drop"/>); <paramref name="root"/> must not have ended.</summary>
    public void DropTrace(System.Diagnostics.Activity? root) => scope.Drop(root);

    /// <summary>Sets one of the app's own metadata keys on the spans that end from now on.</summary>
    public void SetMetadata(string key, string value) => scope.SetMetadata(key, value);

    /// <summary>The request's metadata, once its body is read: onto every span that ends from then on.</summary>
    public void AddMetadata(IReadOnlyDictionary<string, string> metadata) => scope.AddMetadata(metadata);

    /// <summary>The widget origin allowed to read the answer (CORS), once the twin accepted it (or the cache of its origins did).</summary>
    public string? CorsOrigin { get; set; }

    /// <summary>
    /// The twin as telemetry records it: the id once it is known to name a twin, else <see cref="TwinIdLabels.Unknown"/>
    /// or <see cref="TwinIdLabels.Invalid"/> (<see cref="TwinIdLabels"/>). On the trace as the <c>twin:</c> tag and
    /// the <c>twin_id</c> metadata.
    /// </summary>
    public string TwinId { get; private set; } = TwinIdLabels.Unknown;

    /// <summary>The hash of the id the request named while <see cref="TwinId"/> is a label, not the id.</summary>
    public string? TwinIdHash { get; private set; }

    /// <summary>Whether <see cref="TwinId"/> names a twin that exists.</summary>
    public bool TwinKnown { get; private set; }

    /// <summary>Names the twin the request asked for: by its id when <paramref name="known"/> to exist, else by a label and a hash.</summary>
    public void NameTwin(string requestedId, bool known)
    {
        ArgumentNullException.ThrowIfNull(requestedId);
        if (known && TwinValidator.IsValidId(requestedId))
        {
            SetTwin(requestedId, null, true);
            return;
        }

        SetTwin(TwinValidator.IsValidId(requestedId) ? TwinIdLabels.Unknown : TwinIdLabels.Invalid, TwinIdLabels.HashOf(requestedId), false);
    }

    /// <summary>The twin was read: from here on (spans that end later, the ledger row) the trace names it by its id.</summary>
    public void ConfirmTwin(string twinId)
    {
        if (!TwinKnown || TwinId != twinId)
        {
            SetTwin(twinId, null, true);
        }
    }

    private bool _twinNamed;

    private void SetTwin(string label, string? hash, bool known)
    {
        scope.ReplaceTag(_twinNamed ? "twin:" + TwinId : null, "twin:" + label);
        _twinNamed = true;
        scope.SetMetadata("twin_id", label);
        scope.SetMetadata("twin_id_hash", hash);
        (TwinId, TwinIdHash, TwinKnown) = (label, hash, known);
    }
}
