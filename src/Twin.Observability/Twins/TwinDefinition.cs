namespace Twin.Observability.Twins;

/// <summary>
/// A twin as a caller sends it to create or replace one. Every field is nullable so that a missing field is reported
/// by <see cref="TwinValidator"/> with a reason instead of silently becoming a default.
/// </summary>
public sealed record TwinDefinition
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>The persona: who the twin is and how it speaks; becomes the system prompt.</summary>
    public string? Persona { get; init; }

    /// <summary>Facts the twin may draw on; retrieved per message and used by the offline responder.</summary>
    public IReadOnlyList<string>? Knowledge { get; init; }

    public string? Model { get; init; }

    public double? Temperature { get; init; }

    /// <summary>Rules the persona audit checks every reply against; the defaults apply when omitted.</summary>
    public PersonaRules? PersonaRules { get; init; }

    /// <summary>Origins (scheme, host and port) whose pages may embed the chat widget.</summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }
}
