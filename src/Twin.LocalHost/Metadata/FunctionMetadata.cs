namespace Twin.LocalHost.Metadata;

/// <summary>One function as the Worker SDK describes it in <c>functions.metadata</c>.</summary>
public sealed record FunctionMetadata
{
    public string Name { get; init; } = "";

    public string ScriptFile { get; init; } = "";

    /// <summary>Full type name and method, e.g. <c>Twin.Functions.Twins.TwinsFunctions.Get</c>.</summary>
    public string EntryPoint { get; init; } = "";

    public IReadOnlyList<BindingMetadata> Bindings { get; init; } = [];

    public BindingMetadata Trigger =>
        Bindings.SingleOrDefault(b => b.IsTrigger) ?? throw new InvalidOperationException($"Function '{Name}' has no trigger binding.");
}
