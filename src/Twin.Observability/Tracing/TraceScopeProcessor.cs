using System.Diagnostics;
using OpenTelemetry;

namespace Twin.Observability.Tracing;

/// <summary>
/// Writes the request's <see cref="TraceScope"/> onto every span of the app as it ends, and completes the LLM
/// client's chat spans with what only the pipeline knows (prompt link, cost), so Langfuse shows them as generations
/// linked to their prompt.
/// </summary>
internal sealed class TraceScopeProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        TraceScope.Of(data)?.WriteTo(data);
        if (data.GetTagItem(LangfuseAttributes.GenAiOperationName) is not null && GenerationDetails.Of(data.Parent) is { } details)
        {
            details.WriteTo(data);
        }
    }
}
