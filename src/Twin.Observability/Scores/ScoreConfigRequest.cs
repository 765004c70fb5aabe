namespace Twin.Observability.Scores;

/// <summary>The body of <c>POST /api/manage/scores/configs</c> and <c>PUT …/{name}</c> (where the name comes from the route).</summary>
public sealed record ScoreConfigRequest
{
    public string? Name { get; init; }

    public string? DataType { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public List<ScoreCategory>? Categories { get; init; }

    public string? Description { get; init; }
}
