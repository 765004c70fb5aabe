using System.Text.RegularExpressions;
using Twin.LocalHost.Metadata;

namespace Twin.LocalHost.Http;

/// <summary>
/// The route checks the Functions host makes at start-up. A route whose first segment starts with <c>admin</c>
/// conflicts with the host's built-in admin API (whatever the route prefix), and two functions may not claim the same
/// route and method. Failing here, not in Azure, keeps the local host honest about what Azure would accept.
/// </summary>
public static partial class RouteRules
{
    public static readonly string[] AllMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];

    public static string RouteOf(FunctionMetadata function) => (function.Trigger.Route ?? function.Name).Trim('/');

    public static IReadOnlyList<string> MethodsOf(FunctionMetadata function) =>
        function.Trigger.Methods is { Count: > 0 } methods ? methods.Select(m => m.ToUpperInvariant()).ToList() : AllMethods;

    public static void Validate(IEnumerable<FunctionMetadata> httpFunctions)
    {
        var problems = new List<string>();
        var claimed = new Dictionary<(string Route, string Method), string>();
        foreach (var function in httpFunctions)
        {
            var route = RouteOf(function);
            if (route.Split('/')[0].StartsWith("admin", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"Function '{function.Name}': the route '{route}' conflicts with one or more built in routes (routes may not start with 'admin').");
            }

            var shape = ParameterName().Replace(route.ToLowerInvariant(), "{}");
            foreach (var method in MethodsOf(function))
            {
                if (claimed.TryGetValue((shape, method), out var other))
                {
                    problems.Add($"Function '{function.Name}': {method} {route} is already claimed by function '{other}'.");
                }
                else
                {
                    claimed[(shape, method)] = function.Name;
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The functions app has routes the Functions host refuses:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }

    // Parameter names do not distinguish routes: {id} and {twinId} in the same place are the same route.
    [GeneratedRegex(@"\{[^}:=?]+", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
