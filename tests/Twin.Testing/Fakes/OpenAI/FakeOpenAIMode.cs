namespace Twin.Testing.Fakes.OpenAI;

/// <summary>How <see cref="FakeOpenAI"/> answers valid chat completions; settable at any time.</summary>
public enum FakeOpenAIMode
{
    /// <summary>A <c>chat.completion</c> with the <see cref="FakeOpenAI.Responder"/>'s text.</summary>
    Normal,

    /// <summary>500 with OpenAI's <c>server_error</c> JSON.</summary>
    ServerError,

    /// <summary>Waits <see cref="FakeOpenAI.SlowDelay"/>, then answers normally; stops waiting if the client aborts.</summary>
    Slow,

    /// <summary>200 with a body that is not JSON: a broken proxy or gateway.</summary>
    Malformed,

    /// <summary>400 <c>content_filter</c> as Azure OpenAI answers a prompt its content policy blocks.</summary>
    ContentFilter,

    /// <summary>429 <c>rate_limit_exceeded</c> with <c>Retry-After: 1</c>.</summary>
    RateLimited,

    /// <summary>
    /// 502 whose error message quotes the request's <c>Authorization</c> (and <c>api-key</c>) header, as a gateway in
    /// debug mode or a careless proxy does: for proving that credentials in upstream error bodies never leak.
    /// </summary>
    EchoCredentialsInError,
}
