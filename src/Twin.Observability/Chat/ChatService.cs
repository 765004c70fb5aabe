using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Evaluation;
using Twin.Observability.Langfuse;
using Twin.Observability.Ledger;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>
/// Admits, runs and records one chat as one trace. The root span covers the whole request: admission (the
/// <c>admit</c> guardrail span), then the pipeline's nodes; it carries the trace-level attributes, the request and the
/// reply. Every failure, refused or not, is tagged <c>error:{type}</c> with level ERROR and raised as a
/// <see cref="ChatFailedException"/> carrying the trace id; one ledger row is written before the answer goes back,
/// except for rate-limited refusals, which are counted (<see cref="ChatRefusals"/>): one row and one trace per key and
/// minute. A chat whose caller hung up is recorded too: ledger status <c>cancelled</c> (499), level WARNING on the trace.
/// </summary>
public sealed partial class ChatService(
    ChatAdmission admission,
    ChatScopes scopes,
    ChatRefusals refusals,
    ChatPipeline pipeline,
    Experiments.IExperimentArms experiments,
    ILedgerWriter ledger,
    IEvaluationDispatcher evaluations,
    IOptions<TwinChatOptions> options,
    TimeProvider time,
    ILogger<ChatService> logger)
{
    public async Task<ChatOutcome> ChatAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var root = RootSpans.Start(request.Channel.TraceName(), ActivityKind.Server, request.Trace);
        var attempt = scopes.Begin(request.Channel.TraceName(), request, root, holdSpans: true, "endpoint:" + request.Channel.TraceName());
        root?.SetTag(LangfuseAttributes.ObservationType, ObservationTypes.Agent);
        var traceId = RootSpans.TraceIdOf(root, request.Trace);
        var observationId = RootSpans.ObservationIdOf(root);
        try
        {
            var chat = await admission.AdmitAsync(request, attempt, cancellationToken).ConfigureAwait(false);
            root?.SetTag(LangfuseAttributes.Input, PipelineNode.Payload(new ChatSpanInput(chat.Message, chat.ConversationId)));
            var overrides = await JoinExperimentAsync(chat, attempt, cancellationToken).ConfigureAwait(false);
            var result = await pipeline.RunAsync(chat.Twin, chat.Message, chat.ConversationId, chat.Caller, traceId, cancellationToken, overrides).ConfigureAwait(false);
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            root?.SetTag(LangfuseAttributes.Output, PipelineNode.Payload(new ChatSpanOutput(result.Reply)));
            root?.SetStatus(ActivityStatusCode.Ok);
            var entry = Entry(traceId, observationId, request, attempt, latency) with
            {
                Model = result.Model,
                InputTokens = result.Usage.InputTokens,
                OutputTokens = result.Usage.OutputTokens,
                CostUsd = result.CostUsd,
                Status = LedgerStatuses.Ok,
                HttpStatus = 200,
                PromptName = result.PromptName,
                PromptVersion = result.PromptVersion,
                NodeTimings = result.Timings.ToJson(),
                Message = result.Message,
                Reply = result.Reply,
            };
            await RecordAsync(entry).ConfigureAwait(false);
            await EnqueueEvaluationAsync(entry, result).ConfigureAwait(false);
            var joined = attempt.Experiment is { } experiment ? new ChatExperiment(experiment, attempt.Variant!) : null;
            var reply = new ChatReply(traceId, observationId, chat.ConversationId, result.Reply, result.Model, result.Usage, result.CostUsd, latency, result.PromptName, result.PromptVersion, joined);
            return new ChatOutcome(reply, attempt.CorsOrigin);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever the work under the token threw once it fired: no one is left to answer, but the chat is kept.
            PipelineNode.MarkCancelled(root);
            await RecordAsync(Entry(traceId, observationId, request, attempt, (long)time.GetElapsedTime(started).TotalMilliseconds) with
            {
                Status = LedgerStatuses.Cancelled,
                HttpStatus = ChatErrorTypes.StatusOf(ChatErrorTypes.Cancelled),
                ErrorType = ChatErrorTypes.Cancelled,
            }).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ChatFailures.From(ex, cancellationToken) is { } failure)
        {
            if (failure.ErrorType == ChatErrorTypes.Internal)
            {
                LogUnexpected(ex, traceId);
            }

            PipelineNode.MarkFailed(root, failure.ErrorType, failure.Message);
            failure.TraceId = traceId;
            failure.CorsOrigin = attempt.CorsOrigin;
            if (failure.ErrorType == ChatErrorTypes.RateLimited)
            {
                // Counted, not written: a flood of refusals costs no storage write and one trace a minute.
                // The twin is a known twin's id or a label (never a caller's string), so callers cannot make new keys.
                var key = new RefusalKey(attempt.TwinId, request.Channel.TraceName(), failure.ErrorType, attempt.Environment);
                refusals.Count(key, attempt, root, traceId, observationId);
            }
            else
            {
                await RecordAsync(Entry(traceId, observationId, request, attempt, (long)time.GetElapsedTime(started).TotalMilliseconds) with
            {
                Status = LedgerStatuses.Error,
                HttpStatus = failure.Status,
                    ErrorType = failure.ErrorType,
                }).ConfigureAwait(false);
            }

            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    /// <summary>
    /// Answers the widget's CORS preflight: the origin the twin allows, or a <see cref="ChatFailedException"/>. Not
    /// traced: browsers send it ahead of chats, and it runs no model (<see cref="ChatAdmission.PreflightAsync"/>).
    /// </summary>
    public async Task<string> PreflightAsync(string twinId, string? origin, System.Net.IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            return await admission.PreflightAsync(twinId, origin, clientAddress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ChatFailures.From(ex, cancellationToken) is { } failure && !ReferenceEquals(failure, ex))
        {
            throw failure;
        }
    }

    private LedgerEntry Entry(string traceId, string observationId, ChatRequest request, ChatAttempt attempt, long latencyMs) => new()
    {
        TraceId = traceId,
        ObservationId = observationId,
        TwinId = attempt.TwinId,
        TwinIdHash = attempt.TwinIdHash,
        Endpoint = request.Channel.TraceName(),
        Environment = attempt.Environment,
        Timestamp = time.GetUtcNow(),
        LatencyMs = latencyMs,
        UserId = attempt.UserId,
        ConversationId = attempt.ConversationId,
        Experiment = attempt.Experiment,
        Variant = attempt.Variant,
        Status = LedgerStatuses.Ok,
    };

    /// <summary>
    /// Applies the twin's running A/B test: the caller's variant (sticky per user, visitor or share token) changes the
    /// pipeline's prompt, model, temperature and few-shot. Synthetic checks never join a test, so they cannot skew it.
    /// </summary>
    private async Task<PipelineOverrides?> JoinExperimentAsync(AdmittedChat chat, ChatAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Environment == Metrics.MetricEnvironments.Synthetic
            || await experiments.ArmAsync(chat.Twin.Id, chat.Caller.UserId, cancellationToken).ConfigureAwait(false) is not { } arm)
        {
            return null;
        }

        attempt.JoinExperiment(arm.TestId, arm.Variant.Name);
        var v = arm.Variant;
        return new PipelineOverrides
        {
            PromptName = v.PromptName,
            PromptLabel = v.PromptLabel,
            PromptVersion = v.PromptVersion,
            Model = v.Model,
            Temperature = v.Temperature,
            FewShot = v.FewShot ?? true,
        };
    }

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
                    ObservationId = entry.ObservationId,
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat failed unexpectedly (trace {TraceId})")]
    private partial void LogUnexpected(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {TraceId} was not queued for evaluation")]
    private partial void LogEvaluationNotQueued(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger row for trace {TraceId} could not be written: storage unavailable")]
    private partial void LogLedgerUnavailable(Exception exception, string traceId);
}
