using System.Text.RegularExpressions;
using Twin.Observability.Common;
using Twin.Observability.Compare;
using Twin.Observability.Evaluation;

namespace Twin.Observability.Scores;

/// <summary>
/// <c>POST /api/manage/scores</c>: a score from outside on a chat, checked against its config and recorded like the
/// judges' scores (ledger row and Langfuse).
/// </summary>
public sealed partial class ScoreService(ScoreConfigService configs, LedgerChatFinder chats, ScoreWriter writer)
{
    public const int MaxCommentLength = 1_000;

    public async Task<RecordedScore> RecordAsync(ScoreRequest? request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var r = request!;
        var chat = ChatRef.Parse(r.ObservationId is null ? r.TraceId : $"{r.TraceId}:{r.ObservationId}", "traceId", errors);
        if (!ScoreConfigValidator.IsName(r.Name))
        {
            errors.Add("name", "is required: a score config's name.");
        }

        if (r.Comment is { Length: > MaxCommentLength })
        {
            errors.Add("comment", $"at most {MaxCommentLength} characters.");
        }

        if (r.Id is { } id && !Id().IsMatch(id))
        {
            errors.Add("id", "1-100 letters, digits, '-', '_' or '.'.");
        }

        errors.ThrowIfAny();
        var config = await configs.FindAsync(r.Name!, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestValidationException("name", $"no score config is named '{r.Name}'; create one with POST /api/manage/scores/configs.");
        var value = ScoreValues.Read(config, r.Value, "value");
        var entry = await chats.FindEntryAsync(chat!, null, cancellationToken).ConfigureAwait(false) ?? throw new ResourceNotFoundException("Trace", chat!.ToString());
        return await writer.WriteAsync(
            entry,
            config,
            value,
            r.Id ?? ScoreRecorder.ScoreIdOf(entry.TraceId, entry.ObservationId, config.Name),
            r.Comment,
            new Dictionary<string, object?> { ["source"] = "api", ["twinId"] = entry.TwinId },
            cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex Id();
}
