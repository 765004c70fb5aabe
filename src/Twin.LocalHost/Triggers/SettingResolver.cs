using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Twin.LocalHost.Triggers;

/// <summary>
/// Resolves <c>%Setting%</c> references in trigger metadata from app settings, as the Functions host's name resolver
/// does (the worker leaves them unresolved). A missing setting stops start-up rather than running on a guess.
/// </summary>
public static partial class SettingResolver
{
    public static string Resolve(string value, IConfiguration configuration, string functionName) =>
        Reference().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            return configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"Function '{functionName}': the app setting '{name}' used in '{value}' is not set.");
        });

    [GeneratedRegex("%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
