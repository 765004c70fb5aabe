using Twin.LocalHost.Configuration;

namespace Twin.LocalHost.Worker;

/// <summary>
/// The environment a worker starts with, as Core Tools builds it: the host's own environment, then each
/// <c>local.settings.json</c> value the environment does not already set, then the settings a caller of the host gave
/// explicitly (a test's), which win. Configuration keys become variable names with <c>__</c> for <c>:</c>; a null value
/// removes the variable.
/// </summary>
public static class WorkerEnvironment
{
    public const string FunctionsEnvironment = "AZURE_FUNCTIONS_ENVIRONMENT";

    public static IReadOnlyDictionary<string, string?> Build(LocalSettingsFile localSettings, IReadOnlyDictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in localSettings.Values)
        {
            var name = VariableName(key);
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                environment[name] = value;
            }
        }

        foreach (var (key, value) in settings)
        {
            environment[VariableName(key)] = value;
            if (key.Contains(':', StringComparison.Ordinal) && value is null)
            {
                environment[key] = null;
            }
        }

        // Core Tools runs an app in Development unless told otherwise; Azure in Production.
        var functionsEnvironment = environment.TryGetValue(FunctionsEnvironment, out var set) ? set : Environment.GetEnvironmentVariable(FunctionsEnvironment);
        if (string.IsNullOrEmpty(functionsEnvironment))
        {
            environment[FunctionsEnvironment] = "Development";
        }

        return environment;
    }

    public static string VariableName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
