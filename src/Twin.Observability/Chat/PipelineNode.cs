using System.Diagnostics;
using System.Text.Json;
using Twin.Observability.Tracing;

namespace Twin.Observability.Chat;

/// <summary>
/// Runs one node of the chat's agent graph as a child span with its Langfuse observation type, input and output.
/// A node that throws is marked ERROR with its status message before the failure travels on; one cancelled is marked
/// WARNING (<see cref="MarkCancelled"/>).
/// </summary>
public static class PipelineNode
{
    public static async Task<T> RunAsync<T>(string name, string observationType, object? input, Func<Activity?, Task<T>> run, Func<T, object?>? output = null, NodeTimings? timings = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = TwinTelemetry.Source.StartActivity(name, ActivityKind.Internal);
        span?.SetTag(LangfuseAttributes.ObservationType, observationType);
        if (input is not null)
        {
            span?.SetTag(LangfuseAttributes.Input, Payload(input));
        }

        try
        {
            var result = await run(span).ConfigureAwait(false);
            timings?.Record(name, started);
            // Only a recorded span shows its output: without a listener the view is not even built.
            if (span is not null && output?.Invoke(result) is { } shown)
            {
                span.SetTag(LangfuseAttributes.Output, Payload(shown));
            }

            return result;
        }
        catch (OperationCanceledException)
        {
            // Storage and the model client turn timeouts of their own into failures; a bare cancellation is the caller's.
            MarkCancelled(span);
            throw;
        }
        catch (Exception ex)
        {
            MarkFailed(span, ChatErrorTypes.Of(ex), ex is ChatFailedException ? ex.Message : ex.GetType().Name);
            throw;
        }
    }

    public static void MarkFailed(Activity? span, string errorType, string message)
    {
        if (span is null)
        {
            return;
        }

        TraceScope.Of(span)?.AddTag("error:" + errorType);
        span.SetStatus(ActivityStatusCode.Error, message);
        span.SetTag(LangfuseAttributes.Level, ObservationLevels.Error);
        span.SetTag(LangfuseAttributes.StatusMessage, message);
        span.SetTag("error.type", errorType);
    }

    /// <summary>
    /// The caller hung up while <paramref name="span"/> ran: level WARNING, not ERROR, since nothing failed on the app's
    /// side, and the trace tagged <c>cancelled</c> (no <c>error:</c> tag, so error views and alerts leave it out). The
    /// OpenTelemetry status stays unset, as for any 4xx answer of an HTTP server span.
    /// </summary>
    public static void MarkCancelled(Activity? span)
    {
        if (span is null)
        {
            return;
        }

        TraceScope.Of(span)?.AddTag(ChatErrorTypes.Cancelled);
        span.SetTag(LangfuseAttributes.Level, ObservationLevels.Warning);
        span.SetTag(LangfuseAttributes.StatusMessage, "The caller disconnected before the answer.");
    }

    /// <summary>
    /// A span's input or output as Langfuse shows it: strings as they are, the chat's payloads with source-generated
    /// JSON (<see cref="ChatSpanJsonContext"/>; they are written on every traced request), anything else by reflection.
    /// </summary>
    public static string Json(object value) =>
        value as string
        ?? (ChatSpanJsonContext.Default.GetTypeInfo(value.GetType()) is { } generated
            ? JsonSerializer.Serialize(value, generated)
            : JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>A span's input or output, made JSON (<see cref="Json"/>) only when exported (<see cref="SpanPayload"/>).</summary>
    public static object Payload(object value) => SpanPayload.Of(value, Json);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
