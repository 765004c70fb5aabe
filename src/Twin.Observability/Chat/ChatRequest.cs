using System.Net;
using Twin.Observability.Tracing;

namespace Twin.Observability.Chat;

/// <summary>
/// One chat request as it arrived, before anything about it is trusted: which endpoint, which twin, what the caller
/// presented (credential, page origin, share token), where it came from, the trace it continues, and how to read its
/// body. <see cref="ChatService"/> admits, runs and records it in one root span.
/// </summary>
public sealed record ChatRequest
{
    public required ChatChannel Channel { get; init; }

    public required string TwinId { get; init; }

    /// <summary>The user channel's credential: a bearer token or a user API key.</summary>
    public ChatCredential? Credential { get; init; }

    /// <summary>The widget channel's <c>Origin</c> header, as sent.</summary>
    public string? Origin { get; init; }

    /// <summary>The share-link channel's token, from the URL.</summary>
    public string? ShareToken { get; init; }

    /// <summary>The client's address as the trusted proxies reported it; null when unknown.</summary>
    public IPAddress? ClientAddress { get; init; }

    /// <summary>The trace the caller started (<c>traceparent</c>/<c>X-Trace-Id</c>), or null for a new one.</summary>
    public IncomingTrace? Trace { get; init; }

    /// <summary>
    /// Reads and parses the body; called only once the caller's credential has been checked. Throws
    /// <see cref="ChatFailedException"/> for a body that cannot be read (too large, not JSON, wrong shape).
    /// </summary>
    public required Func<CancellationToken, Task<ChatInput>> ReadBodyAsync { get; init; }

    // The generated ToString would print the credential and the share token into any log or dump that shows a request.
    public override string ToString() => $"ChatRequest {{ Channel = {Channel}, TwinId = {TwinId}, ClientAddress = {ClientAddress} }}";
}

/// <summary>A credential presented to the user channel.</summary>
public sealed record ChatCredential(ChatCredentialKind Kind, string Value)
{
    public override string ToString() => $"{Kind} credential (redacted)";
}

public enum ChatCredentialKind
{
    /// <summary><c>Authorization: Bearer &lt;jwt&gt;</c>.</summary>
    Bearer,

    /// <summary><c>X-Api-Key</c> or <c>Authorization: ApiKey &lt;key&gt;</c>.</summary>
    ApiKey,
}
