namespace Twin.Observability.Health;

/// <summary>The health answer: overall status and one entry per component.</summary>
public sealed record HealthSummary(string Status, IReadOnlyDictionary<string, HealthComponent> Checks)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHealthy => Status != "unhealthy";
}

public sealed record HealthComponent(string Status, string? Description, IReadOnlyDictionary<string, object> Data);
