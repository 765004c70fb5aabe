using Microsoft.Extensions.AI;
using Twin.Observability.Llm;

namespace Twin.Observability.Evaluation;

/// <summary>
/// The three judges of a reply, one per <see cref="ScoreNames"/> entry in that order: LLM judges when a model is
/// configured, the heuristic judges when the app runs offline, where there is no model to ask (the offline client
/// only echoes knowledge and could not judge anything).
/// </summary>
public sealed class JudgePanel
{
    public JudgePanel(IReadOnlyList<IJudge> judges)
    {
        ArgumentNullException.ThrowIfNull(judges);
        var names = judges.Select(j => j.Name).ToList();
        if (!names.SequenceEqual(ScoreNames.All))
        {
            throw new ArgumentException($"The panel needs one judge per score, in the order {string.Join(", ", ScoreNames.All)}; got {string.Join(", ", names)}.", nameof(judges));
        }

        Judges = judges;
    }

    /// <summary>Relevance, groundedness and persona consistency, in that order.</summary>
    public IReadOnlyList<IJudge> Judges { get; }

    /// <summary>True when the judges are LLM judges.</summary>
    public bool UsesLlm => Judges.All(j => j is LlmJudge);

    /// <summary>The judge of score <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No judge gives that score.</exception>
    public IJudge Get(string name) =>
        Judges.FirstOrDefault(j => j.Name == name) ?? throw new KeyNotFoundException($"No judge gives the score '{name}'.");

    public static JudgePanel Heuristic() => new([new HeuristicRelevanceJudge(), new HeuristicGroundednessJudge(), new HeuristicPersonaJudge()]);

    public static JudgePanel Llm(IChatClient client) => new(JudgePrompts.All.Select(c => (IJudge)new LlmJudge(client, c)).ToList());

    /// <summary>
    /// The panel for <paramref name="llm"/>. The chat client is asked for only when a model is configured, so an
    /// offline app never builds one for judging.
    /// </summary>
    public static JudgePanel For(LlmOptions llm, Func<IChatClient> client)
    {
        ArgumentNullException.ThrowIfNull(llm);
        ArgumentNullException.ThrowIfNull(client);
        return llm.EffectiveProvider == LlmProvider.Offline ? Heuristic() : Llm(client());
    }

    /// <summary>
    /// Every judge's verdict on <paramref name="input"/>, in <see cref="Judges"/> order. The judges run concurrently;
    /// if one cannot run (the LLM is down) its exception propagates once all have finished.
    /// </summary>
    public async Task<IReadOnlyList<JudgeVerdict>> JudgeAllAsync(JudgeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await Task.WhenAll(Judges.Select(j => j.JudgeAsync(input, cancellationToken))).ConfigureAwait(false);
    }
}
