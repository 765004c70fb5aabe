using System.Text.Json.Serialization;

namespace Twin.Observability.Health;

/// <summary>The health answer: overall status and one entry per component.</summary>
public sealed record HealthSummary(string Status, IReadOnlyDictionary<string, HealthComponent> Checks)
{
    [JsonIgnore]
    public bool IsHealthy => Status != "unhealthy";
}

/// <summary>One component's status; <see cref="Description"/> and <see cref="Data"/> only for admins (null otherwise, and left out).</summary>
public sealed record HealthComponent(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object>? Data);
