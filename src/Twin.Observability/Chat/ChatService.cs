using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Evaluation;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Tracing;

namespace Twin.Observability.Chat;

/// <summary>
/// Runs one chat as one trace: the root span carries the trace-level attributes, the request and the reply; the
/// pipeline's nodes are its children; every failure is tagged <c>error:{type}</c> with level ERROR; and one ledger
/// row is written before the answer goes back, success or not.
/// </summary>
public sealed partial class ChatService(
    ChatPipeline pipeline,
    ILedgerWriter ledger,
    IEvaluationDispatcher evaluations,
    IOptions<TwinChatOptions> options,
    IOptions<LangfuseOptions> langfuse,
    TimeProvider time,
    ILogger<ChatService> logger)
{
    private string Environment => string.IsNullOrWhiteSpace(options.Value.Environment) ? langfuse.Value.Environment : options.Value.Environment;

    public async Task<ChatReply> ChatAsync(string twinId, ChatInput input, ChatCaller caller, ActivityContext? parent, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var root = StartRoot(twinId, caller.Channel, caller.UserId, parent, input.ConversationId, out var scope);
        var traceId = TraceIdOf(root, parent);
        string? conversationId = null;
        try
        {
            var (message, conversation, metadata) = ChatInputRules.Validate(input, options.Value.MaxMessageLength);
            conversationId = conversation;
            scope.SessionId = conversation;
            foreach (var (key, value) in metadata)
            {
                root?.SetTag(LangfuseAttributes.TraceMetadataPrefix + key, value);
            }

            root?.SetTag(LangfuseAttributes.Input, PipelineNode.Json(new { message, conversationId }));
            var result = await pipeline.RunAsync(twinId, message, conversation, caller, traceId, cancellationToken).ConfigureAwait(false);
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            root?.SetTag(LangfuseAttributes.Output, PipelineNode.Json(new { reply = result.Reply }));
            root?.SetStatus(ActivityStatusCode.Ok);
            var entry = Entry(traceId, twinId, caller, conversation, latency) with
            {
                Model = result.Model,
                InputTokens = result.Usage.InputTokens,
                OutputTokens = result.Usage.OutputTokens,
                CostUsd = result.CostUsd,
                Status = "ok",
                HttpStatus = 200,
                PromptName = result.PromptName,
                PromptVersion = result.PromptVersion,
            };
            await RecordAsync(entry).ConfigureAwait(false);
            await EnqueueEvaluationAsync(entry, result).ConfigureAwait(false);
            return new ChatReply(traceId, conversation, result.Reply, result.Model, result.Usage, result.CostUsd, latency, result.PromptName, result.PromptVersion);
        }
        catch (Exception ex) when (AsFailure(ex, cancellationToken) is { } failure)
        {
            if (failure.ErrorType == ChatErrorTypes.Internal)
            {
                LogUnexpected(ex, traceId);
            }

            PipelineNode.MarkFailed(root, failure.ErrorType, failure.Message);
            failure.TraceId = traceId;
            await RecordAsync(Entry(traceId, twinId, caller, conversationId, (long)time.GetElapsedTime(started).TotalMilliseconds) with
            {
                Status = "error",
                HttpStatus = failure.Status,
                ErrorType = failure.ErrorType,
            }).ConfigureAwait(false);
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    /// <summary>
    /// Records a chat refused before it could run (bad credential, origin, rate limit, oversized body) as a failed
    /// trace and ledger row, and returns the failure carrying its trace id for the answer.
    /// </summary>
    public async Task<ChatFailedException> RefuseAsync(string twinId, ChatChannel channel, string? userId, ActivityContext? parent, ChatFailedException failure)
    {
        using (var root = StartRoot(twinId, channel, userId, parent, conversationId: null, out _))
        {
            PipelineNode.MarkFailed(root, failure.ErrorType, failure.Message);
            failure.TraceId = TraceIdOf(root, parent);
        }

        await RecordAsync(Entry(failure.TraceId, twinId, new ChatCaller(channel, userId ?? ""), null, 0) with
        {
            UserId = userId,
            Status = "error",
            HttpStatus = failure.Status,
            ErrorType = failure.ErrorType,
        }).ConfigureAwait(false);
        return failure;
    }

    private Activity? StartRoot(string twinId, ChatChannel channel, string? userId, ActivityContext? parent, string? conversationId, out TraceScope scope)
    {
        var root = TwinTelemetry.Source.StartActivity(channel.TraceName(), ActivityKind.Server, parent ?? default);
        scope = new TraceScope
        {
            Name = channel.TraceName(),
            UserId = userId,
            SessionId = conversationId,
            Environment = Environment,
            Release = langfuse.Value.Release,
            Metadata = new Dictionary<string, string> { ["twin_id"] = twinId },
        };
        scope.AddTag("twin:" + twinId);
        scope.AddTag("endpoint:" + channel.TraceName());
        if (root is not null)
        {
            scope.AttachTo(root);
            root.SetTag(LangfuseAttributes.ObservationType, ObservationTypes.Agent);
            if (parent is { IsRemote: true })
            {
                root.SetTag(LangfuseAttributes.AsRoot, true);
            }
        }

        return root;
    }

    private static string TraceIdOf(Activity? root, ActivityContext? parent) =>
        (root?.TraceId ?? parent?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();

    private LedgerEntry Entry(string traceId, string twinId, ChatCaller caller, string? conversationId, long latencyMs) => new()
    {
        TraceId = traceId,
        TwinId = twinId,
        Endpoint = caller.Channel.TraceName(),
        Environment = Environment,
        Timestamp = time.GetUtcNow(),
        LatencyMs = latencyMs,
        UserId = caller.UserId,
        ConversationId = conversationId,
        Status = "ok",
    };

    // The ledger must not turn a reply into a failure: a row that cannot be written is logged, the answer still goes back.
    private async Task RecordAsync(LedgerEntry entry)
    {
        try
        {
            await ledger.WriteAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageUnavailableException ex)
        {
            LogLedgerUnavailable(ex, entry.TraceId);
        }
    }

    // Judging happens later on the evaluations queue; a queue outage costs the scores of this chat, never the reply.
    private async Task EnqueueEvaluationAsync(LedgerEntry entry, PipelineResult result)
    {
        if (!options.Value.Evaluate)
        {
            return;
        }

        try
        {
            await evaluations.EnqueueAsync(
                new EvaluationRequest
                {
                    TraceId = entry.TraceId,
                    TwinId = entry.TwinId,
                    Endpoint = entry.Endpoint,
                    Environment = entry.Environment,
                    LedgerTimestamp = entry.Timestamp,
                    Message = result.Message,
                    Reply = result.Reply,
                    Knowledge = result.Knowledge,
                    Model = result.Model,
                    PromptName = result.PromptName,
                    PromptVersion = result.PromptVersion,
                    ConversationId = entry.ConversationId,
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or Azure.RequestFailedException)
        {
            // A refused write (say, a missing queue role) is as final for this chat as an outage: log, answer anyway.
            LogEvaluationNotQueued(ex, entry.TraceId);
        }
    }

    private static ChatFailedException? AsFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        ChatFailedException failed => failed,
        StorageUnavailableException => new ChatFailedException(ChatErrorTypes.Storage, "Storage is unavailable; try again shortly.", ex),
        RequestValidationException validation => new ChatFailedException(ChatErrorTypes.Validation, "The chat request is invalid.", ex) { Errors = validation.Errors },
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        _ => new ChatFailedException(ChatErrorTypes.Internal, "An unexpected error occurred; quote the trace id to support.", ex),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat failed unexpectedly (trace {TraceId})")]
    private partial void LogUnexpected(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {TraceId} was not queued for evaluation")]
    private partial void LogEvaluationNotQueued(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger row for trace {TraceId} could not be written: storage unavailable")]
    private partial void LogLedgerUnavailable(Exception exception, string traceId);
}
