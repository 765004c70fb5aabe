using Twin.Observability.Evaluation;

namespace Twin.Observability.Scores;

/// <summary>The scores the app itself gives: the judges' (0–1) and the users' feedback (−1, 0, 1 or a 1–5 rating).</summary>
public static class BuiltInScoreConfigs
{
    public const string UserFeedback = "user_feedback";

    public static IReadOnlyList<ScoreConfig> All { get; } =
    [
        .. ScoreNames.All.Select(name => new ScoreConfig { Name = name, DataType = ScoreDataTypes.Numeric, Min = 0, Max = 1, Description = $"The {name} judge's score of a reply.", BuiltIn = true }),
        new ScoreConfig { Name = UserFeedback, DataType = ScoreDataTypes.Numeric, Min = -1, Max = 5, Description = "What the user thought of a reply: 1 thumbs up, -1 thumbs down, 0 neutral, or a 1-5 rating.", BuiltIn = true },
    ];

    public static ScoreConfig? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
