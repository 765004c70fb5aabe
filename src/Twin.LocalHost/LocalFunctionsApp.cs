namespace Twin.LocalHost;

/// <summary>
/// A built .NET isolated Functions app: the worker assembly the host starts as <c>dotnet {assembly}</c>, in the folder
/// that also holds the <c>host.json</c>, <c>functions.metadata</c> and <c>local.settings.json</c> the host reads.
/// </summary>
public sealed record LocalFunctionsApp
{
    public const string PathFolder = "functions-apps";

    public LocalFunctionsApp(string assemblyPath)
    {
        AssemblyPath = Path.GetFullPath(assemblyPath);
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException($"The functions app {AssemblyPath} does not exist: build it first.", AssemblyPath);
        }
    }

    public string AssemblyPath { get; }

    public string AppDirectory => Path.GetDirectoryName(AssemblyPath)!;

    public string Name => Path.GetFileNameWithoutExtension(AssemblyPath);

    /// <summary>
    /// The app a project referencing it with <c>FunctionsApp="true"</c> was built with: its path is written next to
    /// this assembly at build by <c>build/FunctionsAppFiles.targets</c>.
    /// </summary>
    public static LocalFunctionsApp Built(string name)
    {
        var file = Path.Combine(AppContext.BaseDirectory, PathFolder, name + ".path");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} is missing: reference the functions project {name} with FunctionsApp=\"true\" and import build/FunctionsAppFiles.targets.", file);
        }

        return new LocalFunctionsApp(File.ReadAllText(file).Trim());
    }
}
