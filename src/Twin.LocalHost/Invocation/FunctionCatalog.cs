using System.Reflection;
using Twin.LocalHost.Metadata;

namespace Twin.LocalHost.Invocation;

/// <summary>Resolves every function in <c>functions.metadata</c> to its type and method in the app's assembly.</summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<LocalFunction> Load(IReadOnlyList<FunctionMetadata> metadata, Assembly assembly)
    {
        var expectedFile = Path.GetFileName(assembly.Location);
        var functions = new List<LocalFunction>(metadata.Count);
        foreach (var function in metadata)
        {
            if (!string.Equals(function.ScriptFile, expectedFile, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Function '{function.Name}' lives in {function.ScriptFile}, but the local host was given {expectedFile}.");
            }

            var split = function.EntryPoint.LastIndexOf('.');
            var type = split > 0 ? assembly.GetType(function.EntryPoint[..split]) : null;
            var method = type?.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .SingleOrDefault(m => m.Name == function.EntryPoint[(split + 1)..]);
            if (type is null || method is null)
            {
                throw new InvalidOperationException($"Function '{function.Name}': entry point {function.EntryPoint} was not found in {expectedFile}. Rebuild the app.");
            }

            functions.Add(new LocalFunction(function, type, method));
        }

        return functions;
    }
}
