using System.ComponentModel.DataAnnotations;

namespace Twin.Observability.Playground;

/// <summary>The <c>Playground</c> section: how long the judges may take and how many cells of a comparison run at once.</summary>
public sealed class PlaygroundOptions
{
    public const string SectionName = "Playground";

    /// <summary>The judges' time per run; past it the answer comes back without scores and says why.</summary>
    [Range(1, 600)]
    public int JudgeTimeoutSeconds { get; set; } = 30;

    /// <summary>Cells of a comparison running at once: each is a model call plus up to three judge calls.</summary>
    [Range(1, 32)]
    public int MaxParallelism { get; set; } = 4;

    [Range(1, 20)]
    public int MaxVariants { get; set; } = 5;

    [Range(1, 100)]
    public int MaxInputs { get; set; } = 20;
}
