using Twin.LocalHost.Metadata;

namespace Twin.Functions.Tests;

/// <summary>The HTTP routes of the built app, read from its <c>functions.metadata</c> as the Functions host reads them.</summary>
public static class AppMetadata
{
    public static IReadOnlyList<FunctionMetadata> Functions { get; } = FunctionMetadataReader.Read(TwinApp.Definition.AppDirectory);

    public static IEnumerable<(string Function, string Route, string Method, string? AuthLevel)> HttpRoutes =>
        from f in Functions
        from b in f.Bindings
        where b.Type == "httpTrigger"
        from m in b.Methods ?? []
        select (f.Name, b.Route ?? f.Name, m.ToUpperInvariant(), b.AuthLevel);
}
