using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.LocalHost;

/// <summary>
/// A Functions app as the local host runs it: its assembly, its own service registration (the same one its
/// <c>Program.cs</c> calls), and the folder holding its <c>functions.metadata</c>, <c>host.json</c> and
/// <c>local.settings.json</c> (copied there at build by <c>build/FunctionsAppFiles.targets</c>).
/// </summary>
public sealed record LocalFunctionsApp(Assembly Assembly, Action<IServiceCollection, IConfiguration> ConfigureServices)
{
    public string AppDirectory { get; init; } =
        Path.Combine(AppContext.BaseDirectory, "functions-apps", Assembly.GetName().Name!);
}
