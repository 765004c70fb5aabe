using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Twin.Observability.Common;

/// <summary>
/// Default log levels for the libraries that would otherwise log every call at Information: the HTTP client factory
/// (four lines per request), the resilience pipeline (a line per attempt) and the Azure SDK. A chat makes several such
/// calls, so their lines drowned the app's own. Only warnings are kept, unless <c>Logging:LogLevel:{category}</c> is
/// set, which wins so an operator can turn them back on to debug.
/// </summary>
public static class LogDefaults
{
    public static readonly IReadOnlyList<string> QuietCategories = ["System.Net.Http.HttpClient", "Polly", "Azure.Core"];

    public static IServiceCollection AddQuietLibraryLogs(this IServiceCollection services, IConfiguration configuration) =>
        services.AddLogging(logging =>
        {
            foreach (var category in QuietCategories.Where(c => configuration[$"Logging:LogLevel:{c}"] is null))
            {
                logging.AddFilter(category, LogLevel.Warning);
            }
        });
}
