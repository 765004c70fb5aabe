namespace Twin.Observability.Experiments;

/// <summary>Which A/B test arm a chat joins: what the chat path needs of experiments, so hosts without them can answer "none".</summary>
public interface IExperimentArms
{
    /// <summary>The test and variant that a chat of <paramref name="unitId"/> with this twin joins, or null.</summary>
    Task<ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken);
}
