using System.Text.Json;

namespace Twin.LocalHost.Metadata;

/// <summary>
/// One function as the Worker SDK describes it: in <c>functions.metadata</c> at build, and in the worker's
/// <c>FunctionMetadataResponse</c> at start-up (with the id the worker gave it).
/// </summary>
public sealed record FunctionMetadata
{
    private static readonly JsonSerializerOptions BindingJson = new(JsonSerializerDefaults.Web);

    public string Name { get; init; } = "";

    /// <summary>The worker's id for the function; invocations name it. Empty when read from the file.</summary>
    public string FunctionId { get; init; } = "";

    public string ScriptFile { get; init; } = "";

    /// <summary>Full type name and method, e.g. <c>Twin.Functions.Twins.TwinsFunctions.Get</c>.</summary>
    public string EntryPoint { get; init; } = "";

    public IReadOnlyList<BindingMetadata> Bindings { get; init; } = [];

    public BindingMetadata Trigger =>
        Bindings.SingleOrDefault(b => b.IsTrigger) ?? throw new InvalidOperationException($"Function '{Name}' has no trigger binding.");

    /// <summary>Reads the bindings the worker sends as JSON text, one binding per string, as in the file.</summary>
    public static IReadOnlyList<BindingMetadata> ParseBindings(IEnumerable<string> rawBindings) =>
        rawBindings.Select(raw => JsonSerializer.Deserialize<BindingMetadata>(raw, BindingJson)
            ?? throw new InvalidDataException($"The worker sent an empty binding: {raw}")).ToList();
}
