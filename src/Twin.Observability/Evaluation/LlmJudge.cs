using Microsoft.Extensions.AI;

namespace Twin.Observability.Evaluation;

/// <summary>
/// A judge that asks an LLM (LLM-as-a-judge) to score one <see cref="JudgeCriterion"/>, at temperature 0 and in JSON
/// mode. The answer is validated strictly (<see cref="JudgeAnswer"/>); an invalid one gets exactly one retry that
/// tells the model what was wrong, and a second invalid answer yields a verdict with <see cref="JudgeVerdict.Error"/>
/// and no score, never a guessed one. Errors of the client itself (LLM down, timeout) propagate, so the evaluation
/// message is retried later rather than recorded without a score.
/// </summary>
public sealed class LlmJudge : IJudge
{
    private const int MaxAttempts = 2;

    private readonly IChatClient _client;

    public LlmJudge(IChatClient client, JudgeCriterion criterion)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(criterion);
        _client = client;
        Criterion = criterion;
    }

    public string Name => Criterion.Name;

    public JudgeCriterion Criterion { get; }

    public async Task<JudgeVerdict> JudgeAsync(JudgeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var allowedViolations = Criterion.AuditsRules ? PersonaRuleNames.Applicable(input.Rules) : null;
        List<ChatMessage> messages =
        [
            new(ChatRole.System, JudgePrompts.System),
            new(ChatRole.User, JudgePrompts.UserPrompt(Criterion, input)),
        ];

        string? model = null;
        var error = "";
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // Fresh options per call: middleware in the client pipeline may mutate them.
            var options = new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 0 };
            ChatResponse response;
            try
            {
                response = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (System.ClientModel.ClientResultException refused) when (refused.Status is >= 400 and < 500 and not (408 or 429))
            {
                // The model refused this request (content filter, unsupported option): asking again, now or after a
                // redelivery, gets the same answer, so it is a judge error, not a reason to retry the message.
                return new JudgeVerdict
                {
                    Name = Name,
                    Method = JudgeMethods.Llm,
                    Model = model ?? DefaultModel(),
                    Error = $"The judging model refused the request ({refused.Status}).",
                };
            }

            model = response.ModelId ?? model;
            if (JudgeAnswer.TryParse(response.Text, allowedViolations, out var answer, out error))
            {
                return Verdict(answer, model);
            }

            // An empty assistant turn is not a valid chat message, so an empty answer is only described, not replayed.
            if (!string.IsNullOrWhiteSpace(response.Text))
            {
                messages.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            }

            messages.Add(new ChatMessage(ChatRole.User, JudgePrompts.InvalidAnswer(Criterion, error)));
        }

        return new JudgeVerdict
        {
            Name = Name,
            Method = JudgeMethods.Llm,
            Model = model ?? DefaultModel(),
            Error = $"The judge's answer was invalid {MaxAttempts} times; the last one: {error}",
        };
    }

    private JudgeVerdict Verdict(JudgeAnswer answer, string? model) => new()
    {
        Name = Name,
        Method = JudgeMethods.Llm,
        Model = model ?? DefaultModel(),
        Score = answer.Score,
        Comment = answer.Violations.Count == 0 || answer.Violations.All(v => answer.Reasoning.Contains(v, StringComparison.OrdinalIgnoreCase))
            ? answer.Reasoning
            // The comment must name each broken rule even when the model's reasoning only describes it.
            : $"{answer.Reasoning} Broken rules: {string.Join(", ", answer.Violations)}.",
        Violations = answer.Violations,
    };

    private string? DefaultModel() => _client.GetService<ChatClientMetadata>()?.DefaultModelId;
}
