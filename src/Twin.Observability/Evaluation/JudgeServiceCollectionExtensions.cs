using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Llm;

namespace Twin.Observability.Evaluation;

public static class JudgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="JudgePanel"/> chosen by the app's <see cref="LlmOptions"/> (LLM judges on the app's
    /// <see cref="IChatClient"/> from <c>AddTwinLlm</c>, or heuristic judges offline) and its three judges, all
    /// singletons: as <see cref="IJudge"/> (inject <c>IEnumerable&lt;IJudge&gt;</c>) and keyed by score name
    /// (<c>[FromKeyedServices(ScoreNames.Relevance)] IJudge</c>).
    /// </summary>
    public static IServiceCollection AddJudges(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Called twice, the judges would be registered twice and every evaluation would score each reply twice.
        if (services.Any(d => d.ServiceType == typeof(JudgePanel)))
        {
            return services;
        }

        services.AddOptions();
        services.AddSingleton(sp => JudgePanel.For(sp.GetRequiredService<IOptions<LlmOptions>>().Value, sp.GetRequiredService<IChatClient>));
        foreach (var name in ScoreNames.All)
        {
            services.AddSingleton(sp => sp.GetRequiredService<JudgePanel>().Get(name));
            services.AddKeyedSingleton(name, (sp, _) => sp.GetRequiredService<JudgePanel>().Get(name));
        }

        return services;
    }
}
