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

    [JsonIgnore]
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.Ordinal);
}
