namespace Twin.Observability.Features;

/// <summary>
/// The flags of the staged rollout (DESIGN §7), section <c>FeatureManagement</c>: every feature beyond chat and
/// tracing (P0, the product) can be switched off. All are on unless configuration says <c>false</c>.
/// </summary>
public static class FeatureFlags
{
    public const string SectionName = "FeatureManagement";

    public const string Evaluation = nameof(Evaluation);
    public const string DatasetCollection = nameof(DatasetCollection);
    public const string PromptManagement = nameof(PromptManagement);
    public const string Regression = nameof(Regression);
    public const string Alerts = nameof(Alerts);
    public const string FewShot = nameof(FewShot);
    public const string Metrics = nameof(Metrics);
    public const string Export = nameof(Export);
    public const string Dashboard = nameof(Dashboard);
    public const string Compare = nameof(Compare);
    public const string Playground = nameof(Playground);
    public const string ABTesting = nameof(ABTesting);
    public const string CostTracking = nameof(CostTracking);
    public const string SyntheticMonitoring = nameof(SyntheticMonitoring);
    public const string Feedback = nameof(Feedback);

    /// <summary>Every flag, in the order health lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Evaluation, DatasetCollection, PromptManagement, FewShot, Feedback, Playground, Compare,
        Regression, Alerts, Metrics, Dashboard, CostTracking, Export,
        SyntheticMonitoring, ABTesting,
    ];
}
