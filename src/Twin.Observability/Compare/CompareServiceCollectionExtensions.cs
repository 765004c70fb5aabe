using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.Observability.Compare;

public static class CompareServiceCollectionExtensions
{
    /// <summary>Trace comparison: its options, the Langfuse reads, the chat finder and the service (the ledger is the chat's).</summary>
    public static IServiceCollection AddTraceComparison(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CompareOptions>().Bind(configuration.GetSection(CompareOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LangfuseTraceReader>();
        services.AddSingleton<LedgerChatFinder>();
        services.AddSingleton<TraceCompareService>();
        return services;
    }
}
