namespace Twin.Observability.Twins;

/// <summary>A stored twin, as the API returns it. <see cref="ETag"/> is the version to send back in <c>If-Match</c>.</summary>
public sealed record TwinProfile(
    string Id,
    string Name,
    string Persona,
    IReadOnlyList<string> Knowledge,
    string? Model,
    double? Temperature,
    IReadOnlyList<string> AllowedOrigins,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string ETag)
{
    /// <summary>What the persona audit checks replies against.</summary>
    public PersonaRules PersonaRules { get; init; } = PersonaRules.Default;
}
