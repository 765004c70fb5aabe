namespace Twin.Observability.Regression;

/// <summary>The body of <c>POST /api/manage/regression/test</c>.</summary>
public sealed record RegressionRunRequest
{
    public string? Dataset { get; init; }

    public string? TwinId { get; init; }

    public string? PromptLabel { get; init; }

    public int? PromptVersion { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    /// <summary>The baseline (by name) to compare with; its newest version.</summary>
    public string? Baseline { get; init; }

    public int? MaxItems { get; init; }

    public string? Name { get; init; }

    public bool? FewShot { get; init; }
}
