using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Feedback;
using Twin.Observability.Storage;

namespace Twin.Observability.Scores;

public static class ScoreServiceCollectionExtensions
{
    /// <summary>Score configs (the <c>ScoreConfigs</c> table, mirrored to Langfuse), scores from outside, and user feedback.</summary>
    public static IServiceCollection AddScores(this IServiceCollection services)
    {
        services.AddStorageResources(tables: [StorageNames.Tables.ScoreConfigs]);
        services.AddSingleton<ScoreConfigStore>();
        services.AddSingleton<LangfuseScoreConfigClient>();
        services.AddSingleton<ScoreConfigService>();
        services.AddSingleton<ScoreWriter>();
        services.AddSingleton<ScoreService>();
        services.AddSingleton<FeedbackService>();
        return services;
    }
}
