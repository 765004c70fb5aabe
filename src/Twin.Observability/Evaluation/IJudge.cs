namespace Twin.Observability.Evaluation;

/// <summary>Scores one aspect of a reply. Implementations must not throw for a reply they merely dislike; they throw only when they cannot run (the LLM is down), so the message is retried.</summary>
public interface IJudge
{
    /// <summary>The score name, one of <see cref="ScoreNames"/>.</summary>
    string Name { get; }

    Task<JudgeVerdict> JudgeAsync(JudgeInput input, CancellationToken cancellationToken);
}
