using System.Diagnostics;
using Microsoft.Extensions.Options;
using Twin.Observability.Langfuse;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>
/// Starts the trace scope of a request of a chat endpoint (a chat, a feedback) and its <see cref="ChatAttempt"/>. The
/// twin id from the URL is not trusted: it is recorded as itself only when the cache of twins read lately knows it,
/// otherwise as a label with a hash until admission reads the twin (<see cref="ChatAttempt.NameTwin"/>).
/// </summary>
public sealed class ChatScopes(TraceOwner owner, IOptions<TwinChatOptions> options, IOptions<LangfuseOptions> langfuse, TwinOriginCache knownTwins)
{
    /// <summary>The environment of chat traces and ledger rows: the chat's own setting, else Langfuse's.</summary>
    public string Environment => string.IsNullOrWhiteSpace(options.Value.Environment) ? langfuse.Value.Environment : options.Value.Environment;

    /// <param name="holdSpans">Whether the trace is exported only once its root ended (<see cref="TraceScope.HoldUntilRootEnds"/>), so it can still be dropped then.</param>
    public ChatAttempt Begin(string name, ChatRequest request, Activity? root, bool holdSpans, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = new TraceScope
        {
            Name = name,
            Owner = owner,
            Environment = Environment,
            Release = langfuse.Value.Release,
            HoldUntilRootEnds = holdSpans,
        };
        foreach (var tag in tags)
        {
            scope.AddTag(tag);
        }

        var attempt = new ChatAttempt(scope);
        attempt.NameTwin(request.TwinId, knownTwins.Knows(request.TwinId));
        if (root is not null)
        {
            scope.AttachTo(root);
        }

        return attempt;
    }
}
