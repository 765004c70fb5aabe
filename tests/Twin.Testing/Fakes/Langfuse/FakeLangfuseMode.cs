namespace Twin.Testing.Fakes.Langfuse;

/// <summary>How <see cref="FakeLangfuse"/> answers trace exports and REST calls; settable at any time.</summary>
public enum FakeLangfuseMode
{
    /// <summary>Checks, decodes and stores; 200 (or the error a real Langfuse would answer).</summary>
    Normal,

    /// <summary>An outage: 500 and nothing stored.</summary>
    Fail500,

    /// <summary>A stuck server: holds the request until the client gives up (or 5 minutes pass, then answers as Normal).</summary>
    Hang,

    /// <summary>
    /// REST calls (prompts, scores, datasets, dataset items) answer <see cref="FakeLangfuse.EchoStatusCode"/> with a
    /// body quoting the request's <c>Authorization</c> header and the decoded key pair, as a debugging proxy might;
    /// OTLP ingestion and health answer as <see cref="Normal"/>, so the spans of the failing calls still arrive.
    /// </summary>
    EchoCredentialsInError,

    /// <summary>
    /// An ingestion outage only: OTLP trace posts answer 500 and nothing is stored; REST calls and health answer as
    /// <see cref="Normal"/>, so Langfuse looks up while every span is lost.
    /// </summary>
    FailTraces500,

    /// <summary>
    /// Revoked keys: every keyed request (OTLP and REST) answers 401 whatever credential it carries; the unauthenticated
    /// health endpoint answers as <see cref="Normal"/>.
    /// </summary>
    RefuseKeys,
}
