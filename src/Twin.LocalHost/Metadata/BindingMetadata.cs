using System.Text.Json;
using System.Text.Json.Serialization;

namespace Twin.LocalHost.Metadata;

/// <summary>One binding of a function in <c>functions.metadata</c>, with the properties the local host acts on.</summary>
public sealed record BindingMetadata
{
    public string Name { get; init; } = "";

    public string Type { get; init; } = "";

    public string? Direction { get; init; }

    public string? AuthLevel { get; init; }

    public IReadOnlyList<string>? Methods { get; init; }

    public string? Route { get; init; }

    public string? Schedule { get; init; }

    public bool RunOnStartup { get; init; }

    public string? QueueName { get; init; }

    public string? Connection { get; init; }

    /// <summary>What the Worker SDK notes about the parameter, e.g. <c>supportsDeferredBinding</c>.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>The parameter is an SDK type (<c>QueueMessage</c>) the worker builds from <c>ModelBindingData</c>.</summary>
    [JsonIgnore]
    public bool SupportsDeferredBinding =>
        Properties?.FirstOrDefault(p => p.Key.Equals("supportsDeferredBinding", StringComparison.OrdinalIgnoreCase)).Value is { } value
        && (value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var on) && on);

    [JsonIgnore]
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.Ordinal);
}
