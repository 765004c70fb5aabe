namespace Twin.Testing.Fakes.Langfuse;

/// <summary>How <see cref="FakeLangfuse"/> answers trace exports; settable at any time.</summary>
public enum FakeLangfuseMode
{
    /// <summary>Checks, decodes and stores the spans; 200.</summary>
    Normal,

    /// <summary>An outage: 500 and nothing stored.</summary>
    Fail500,

    /// <summary>A stuck ingestion: holds the request until the client gives up (or 5 minutes pass, then 200).</summary>
    Hang,
}
