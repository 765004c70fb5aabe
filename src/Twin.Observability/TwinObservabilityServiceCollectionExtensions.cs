using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Alerts;
using Twin.Observability.Chat;
using Twin.Observability.Chat.FewShot;
using Twin.Observability.Common;
using Twin.Observability.Compare;
using Twin.Observability.Costs;
using Twin.Observability.Datasets;
using Twin.Observability.Datasets.Export;
using Twin.Observability.Evaluation;
using Twin.Observability.Features;
using Twin.Observability.Experiments;
using Twin.Observability.Health;
using Twin.Observability.Ledger;
using Twin.Observability.Langfuse;
using Twin.Observability.Llm;
using Twin.Observability.Metrics;
using Twin.Observability.Monitoring;
using Twin.Observability.Playground;
using Twin.Observability.Prompts;
using Twin.Observability.Regression;
using Twin.Observability.Scores;
using Twin.Observability.Security;
using Twin.Observability.Security.Outbound;
using Twin.Observability.Storage;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;
using Twin.Observability.Twins.Sharing;

namespace Twin.Observability;

public static class TwinObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// The one composition root of the app's logic: every feature, its options and its storage. The Functions app's
    /// <c>Program.cs</c> and the local host both call it, so what runs locally is what runs in Azure.
    /// </summary>
    public static IServiceCollection AddTwinObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddQuietLibraryLogs(configuration);
        services.AddSecretRedaction(configuration);
        services.AddTwinStorage(configuration);
        services.AddTwinFeatures(configuration);

        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<BearerTokenValidator>();

        var langfuse = LangfuseOptions.Read(configuration);
        services.AddSingleton(Options.Create(langfuse));
        services.AddTwinTelemetry(configuration, langfuse);
        services.AddLangfuseHttp(langfuse, TimeSpan.FromSeconds(5));
        services.AddPrompts(configuration);
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection(LlmOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddTwinLlm(configuration.GetSection(LlmOptions.SectionName).Get<LlmOptions>() ?? new LlmOptions());

        services.AddTwins(configuration);
        services.AddChat(configuration);
        services.AddEvaluation();
        services.AddDatasets(configuration, langfuse);
        services.AddDatasetExport(configuration);
        services.AddMetrics(configuration);
        services.AddCosts(configuration);
        services.AddOutboundGuard(configuration);
        services.AddSyntheticMonitoring(configuration);
        services.AddAlerts(configuration);
        services.AddRegression(configuration);
        services.AddExperiments(configuration);
        services.AddTraceComparison(configuration);
        services.AddScores();
        services.AddPlayground(configuration);
        services.AddDashboard(configuration);

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage")
            .AddCheck<LangfuseHealthCheck>("langfuse")
            .AddCheck<LlmHealthCheck>("llm");
        services.AddSingleton<HealthSnapshot>();
        services.AddSingleton<HealthReporter>();
        services.AddFeatureGates();
        services.AddSingleton<LangfuseKeyProbe>();
        services.AddHttpClient(LangfuseHealthCheck.HttpClientName);
        return services;
    }

    private static IServiceCollection AddMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddStorageResources(
            tables: [.. RollupKeys.Tables, StorageNames.Tables.DirtyMinutes, StorageNames.Tables.Settings],
            containers: [StorageNames.Containers.Locks]);
        services.AddSingleton<RollupStore>();
        services.AddSingleton<RollupWatermarkStore>();
        services.AddSingleton<DirtyMinuteStore>();
        services.AddSingleton<RollupLease>();
        services.AddSingleton<MetricsRollup>();
        services.AddSingleton<MetricsQuery>();
        services.AddSingleton<TraceSearch>();
        return services;
    }

    private static IServiceCollection AddCosts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CostOptions>().Bind(configuration.GetSection(CostOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddStorageResources(tables: [StorageNames.Tables.Prices, StorageNames.Tables.Costs]);
        services.AddSingleton<PriceTable>();
        services.AddSingleton<CostTracker>();
        services.AddSingleton<CostService>();
        return services;
    }

    private static IServiceCollection AddPrompts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PromptOptions>().Bind(configuration.GetSection(PromptOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PromptCache>();
        services.AddSingleton<LangfusePromptClient>();
        services.AddSingleton<PromptService>();
        return services;
    }

    private static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwinChatOptions>().Bind(configuration.GetSection(TwinChatOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddStorageResources(tables: [StorageNames.Tables.Conversations, StorageNames.Tables.Ledger]);
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<IConversationHistory>(sp => sp.GetRequiredService<ConversationStore>());
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<ILedgerWriter>(sp => sp.GetRequiredService<LedgerStore>());
        services.AddOptions<FewShotOptions>().Bind(configuration.GetSection(FewShotOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<FewShotOptions>, FewShotOptionsValidator>();
        services.AddSingleton<IFewShotSelector, DatasetFewShotSelector>();
        services.AddOptions<ChatRateLimitOptions>().Bind(configuration.GetSection(ChatRateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ChatRateLimiter>();
        services.AddSingleton<ChatUserAuthenticator>();
        services.AddSingleton<ChatAdmission>();
        services.AddSingleton<ChatScopes>();
        services.AddSingleton<ChatRefusals>();
        services.AddHostedService(sp => sp.GetRequiredService<RefusalFlusher>());
        services.AddSingleton<RefusalFlusher>();
        services.AddSingleton<ChatPipeline>();
        services.AddSingleton<StandaloneRuns>();
        services.AddSingleton<ChatService>();
        return services;
    }

    private static IServiceCollection AddEvaluation(this IServiceCollection services)
    {
        services.AddStorageResources(queues: [StorageNames.Queues.Evaluations]);
        services.AddSingleton<IEvaluationDispatcher, QueueEvaluationDispatcher>();
        services.AddSingleton<LangfuseScoreClient>();
        services.AddSingleton<ScoreRecorder>();
        services.AddSingleton<EvaluationService>();
        services.AddJudges();
        return services;
    }

    private static IServiceCollection AddDatasets(this IServiceCollection services, IConfiguration configuration, LangfuseOptions langfuse)
    {
        services.AddOptions<DatasetOptions>().Bind(configuration.GetSection(DatasetOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatasetOptions>, DatasetOptionsValidator>();
        services.AddStorageResources(tables: [StorageNames.Tables.Datasets, StorageNames.Tables.DatasetItems, StorageNames.Tables.DatasetFingerprints, StorageNames.Tables.DatasetBuckets]);
        services.AddSingleton<NearDuplicateIndex>();
        services.AddSingleton<DatasetCollector>();
        // Langfuse holds the datasets when it is configured, so its UI, runs and experiments see them.
        if (langfuse.IsConfigured)
        {
            services.AddSingleton<IDatasetStore, LangfuseDatasetStore>();
        }
        else
        {
            services.AddSingleton<IDatasetStore, TableDatasetStore>();
        }

        return services;
    }

    private static IServiceCollection AddTwins(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TwinsOptions>().Bind(configuration.GetSection(TwinsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TwinsOptions>, TwinsOptionsValidator>();
        services.AddSingleton<ShareLinks>();
        services.AddStorageResources(tables: [StorageNames.Tables.Twins, StorageNames.Tables.ShareTokens]);
        services.AddSingleton<ShareTokenService>();
        services.AddSingleton<IShareTokenVerifier>(sp => sp.GetRequiredService<ShareTokenService>());
        services.AddSingleton<TwinOriginCache>();
        services.AddSingleton<TwinService>();
        services.AddSingleton<ITwinLookup>(sp => sp.GetRequiredService<TwinService>());
        services.AddHostedService<DemoTwinSeeder>();
        return services;
    }
}
