using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Twin.Observability.Chat;
using Twin.Observability.Common;
using Twin.Observability.Compare;
using Twin.Observability.Evaluation;
using Twin.Observability.Langfuse;
using Twin.Observability.Scores;
using Twin.Observability.Tracing;

namespace Twin.Observability.Feedback;

/// <summary>
/// User feedback on a reply: admitted exactly like a chat of the same endpoint (credential, origin, share token, rate
/// limits), accepted only for a chat this caller had (else 404, as if it did not exist), and recorded as the
/// <c>user_feedback</c> score of the chat, once per chat and caller: a second feedback replaces the first. Each call is
/// a short trace of its own named <c>feedback</c>.
/// </summary>
public sealed class FeedbackService(
    ChatAdmission admission,
    LedgerChatFinder chats,
    ScoreConfigService configs,
    ScoreWriter writer,
    ChatScopes scopes)
{
    private static readonly int[] Allowed = [-1, 0, 1, 2, 3, 4, 5];

    /// <param name="request">The call as it arrived; its chat body reader is not used.</param>
    public async Task<FeedbackOutcome> SendAsync(ChatRequest request, Func<CancellationToken, Task<FeedbackRequest?>> readBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var root = RootSpans.Start("feedback", ActivityKind.Server, request.Trace);
        var attempt = scopes.Begin("feedback", request, root, holdSpans: false, "feedback");
        try
        {
            var admitted = await admission.AdmitCallerAsync(request, attempt, async ct => Validate(await readBody(ct).ConfigureAwait(false)), f => f.Feedback.VisitorId, cancellationToken).ConfigureAwait(false);
            var (feedback, chat) = (admitted.Body.Feedback, admitted.Body.Chat);
            var entry = await chats.FindEntryAsync(chat, null, cancellationToken).ConfigureAwait(false);
            // Someone else's chat is answered like a chat that does not exist: the caller learns nothing about it.
            if (entry is null || entry.TwinId != admitted.Twin.Id || entry.UserId != admitted.Caller.UserId)
            {
                throw new ChatFailedException(ChatErrorTypes.NotFound, $"No chat '{chat}' of yours was found with twin '{request.TwinId}'.");
            }

            var config = await configs.FindAsync(BuiltInScoreConfigs.UserFeedback, cancellationToken).ConfigureAwait(false);
            var value = new ScoreValue(feedback.Value!.Value, null);
            var recorded = await writer.WriteAsync(
                entry,
                config!,
                value,
                ScoreRecorder.ScoreIdOf(entry.TraceId, entry.ObservationId, $"{BuiltInScoreConfigs.UserFeedback}:{admitted.Caller.UserId}"),
                feedback.Comment,
                new Dictionary<string, object?> { ["source"] = "user", ["endpoint"] = request.Channel.TraceName(), ["twinId"] = entry.TwinId },
                cancellationToken).ConfigureAwait(false);
            root?.SetStatus(ActivityStatusCode.Ok);
            return new FeedbackOutcome(recorded, attempt.CorsOrigin);
        }
        catch (Exception ex) when (ex is ChatFailedException or RequestValidationException or ResourceNotFoundException or StorageUnavailableException or LangfuseApiException)
        {
            var failure = ex switch
            {
                ChatFailedException failed => failed,
                RequestValidationException validation => new ChatFailedException(ChatErrorTypes.Validation, "The feedback is invalid.", ex) { Errors = validation.Errors },
                StorageUnavailableException => new ChatFailedException(ChatErrorTypes.Storage, "Storage is unavailable; try again shortly.", ex),
                // The ledger has it; sent again, the same score id replaces it, so a retry is safe.
                LangfuseApiException => new ChatFailedException(ChatErrorTypes.Unavailable, "Langfuse did not take the score; send the feedback again shortly.", ex),
                _ => new ChatFailedException(ChatErrorTypes.NotFound, ex.Message, ex),
            };
            PipelineNode.MarkFailed(root, failure.ErrorType, failure.Message);
            failure.CorsOrigin = attempt.CorsOrigin;
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    private static ValidatedFeedback Validate(FeedbackRequest? feedback)
    {
        var errors = new ValidationErrors();
        if (feedback is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var chat = ChatRef.Parse(feedback!.ObservationId is null ? feedback.TraceId : $"{feedback.TraceId}:{feedback.ObservationId}", "traceId", errors);
        if (feedback.Value is not { } value || !Allowed.Contains((int)value) || value != Math.Floor(value))
        {
            errors.Add("value", "must be 1 (thumbs up), -1 (thumbs down), 0 (neutral) or a rating from 1 to 5.");
        }

        if (feedback.Comment is { Length: > ScoreService.MaxCommentLength })
        {
            errors.Add("comment", $"at most {ScoreService.MaxCommentLength} characters.");
        }

        errors.ThrowIfAny();
        return new ValidatedFeedback(feedback, chat!);
    }

    private sealed record ValidatedFeedback(FeedbackRequest Feedback, ChatRef Chat);
}

/// <summary>A recorded feedback, and the widget origin that may read the answer.</summary>
public sealed record FeedbackOutcome(RecordedScore Score, string? CorsOrigin);
