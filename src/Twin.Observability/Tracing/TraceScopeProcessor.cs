using System.Diagnostics;
using OpenTelemetry;

namespace Twin.Observability.Tracing;

/// <summary>
/// Writes the request's <see cref="TraceScope"/> onto every span of the app as it ends, and completes the LLM
/// client's chat spans with what only the pipeline knows (prompt link, cost), so Langfuse shows them as generations
/// linked to their prompt. Only the traces of this app instance (<see cref="TraceOwner"/>): the attributes are
/// appended, not set, so another app's processor in the same process (the source is static) must leave them alone.
/// </summary>
internal sealed class TraceScopeProcessor(TraceOwner owner) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (TraceScope.Of(data) is not { } scope || !ReferenceEquals(scope.Owner, owner))
        {
            return;
        }

        scope.WriteTo(data);
        if (data.GetTagItem(LangfuseAttributes.GenAiOperationName) is not null && GenerationDetails.Of(data.Parent) is { } details)
        {
            details.WriteTo(data);
        }
    }
}
