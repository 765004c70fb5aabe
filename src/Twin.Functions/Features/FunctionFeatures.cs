using System.Collections.Concurrent;
using System.Reflection;

namespace Twin.Functions.Features;

/// <summary>The flag of each function, read once from its <see cref="FeatureGateAttribute"/> by its entry point.</summary>
public static class FunctionFeatures
{
    private static readonly ConcurrentDictionary<string, string?> Flags = new(StringComparer.Ordinal);

    /// <summary>The flag of the function whose entry point is <paramref name="entryPoint"/> (<c>Namespace.Type.Method</c>), or null when it has none.</summary>
    public static string? FlagOf(string entryPoint) => Flags.GetOrAdd(entryPoint, Read);

    private static string? Read(string entryPoint)
    {
        var split = entryPoint.LastIndexOf('.');
        var type = typeof(FunctionFeatures).Assembly.GetType(entryPoint[..split])
            ?? throw new InvalidOperationException($"No function class for entry point '{entryPoint}'.");
        var method = type.GetMethod(entryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        return (method?.GetCustomAttribute<FeatureGateAttribute>() ?? type.GetCustomAttribute<FeatureGateAttribute>())?.Flag;
    }
}
