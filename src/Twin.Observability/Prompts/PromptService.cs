using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Twin.Observability.Features;
using Twin.Observability.Langfuse;

namespace Twin.Observability.Prompts;

/// <summary>
/// The prompts the app uses: from Langfuse prompt management when Langfuse is configured (cached, stale-while-
/// revalidate), otherwise — or when Langfuse is down, or has no such prompt — the built-in defaults.
/// </summary>
public sealed partial class PromptService(
    LangfusePromptClient langfusePrompts,
    PromptCache cache,
    IOptions<PromptOptions> options,
    IOptions<LangfuseOptions> langfuse,
    IFeatureManager features,
    ILogger<PromptService> logger)
{
    /// <summary>The prompt <paramref name="name"/> at <paramref name="label"/> (default label when both are null) or <paramref name="version"/>.</summary>
    public async Task<PromptTemplate> GetAsync(string name, string? label, int? version, CancellationToken cancellationToken)
    {
        if (!await UsesLangfuseAsync(cancellationToken).ConfigureAwait(false))
        {
            return Fallback(name);
        }

        var key = KeyOf(name, label, version);
        try
        {
            return await FetchCachedAsync(key, cancellationToken).ConfigureAwait(false) ?? Fallback(name);
        }
        catch (PromptUnavailableException)
        {
            // The cache logged the failure when it happened, once per cache period; a chat does not log it again.
            return Fallback(name);
        }
        catch (Exception ex) when (IsLangfuseFailure(ex, cancellationToken))
        {
            LogFallback(ex, key.CacheKey);
            return Fallback(name);
        }
    }

    /// <summary>
    /// The prompt as the playground shows it: Langfuse's when it has one, else (for the default label and no version
    /// only) the built-in one of that name; null when neither exists, with Langfuse on or off. Unlike
    /// <see cref="GetAsync"/> it never substitutes another prompt, and a Langfuse failure for a prompt with no
    /// built-in stand-in is an error (<see cref="LangfuseApiException"/>), not a "not found".
    /// </summary>
    public async Task<PromptTemplate?> FindAsync(string name, string? label, int? version, CancellationToken cancellationToken)
    {
        // A built-in prompt has no labels or versions: it stands in only for the default label.
        var builtIn = version is null && (label is null || label == options.Value.DefaultLabel) ? BuiltInPrompts.Find(name) : null;
        if (!await UsesLangfuseAsync(cancellationToken).ConfigureAwait(false))
        {
            return builtIn;
        }

        var key = KeyOf(name, label, version);
        try
        {
            return await FetchCachedAsync(key, cancellationToken).ConfigureAwait(false) ?? builtIn;
        }
        catch (Exception ex) when (IsLangfuseFailure(ex, cancellationToken))
        {
            if (ex is not PromptUnavailableException)
            {
                LogFallback(ex, key.CacheKey);
            }

            var cause = ex is PromptUnavailableException { InnerException: { } inner } ? inner : ex;
            return builtIn ?? throw (cause is LangfuseApiException langfuseFailure
                ? new LangfuseApiException(langfuseFailure.Message, langfuseFailure.Status)
                : new LangfuseApiException($"Langfuse could not be reached for prompt '{name}'.", 0));
        }
    }

    // With PromptManagement off (the rollout's P0) the built-in prompts are the prompts: Langfuse is never asked.
    private async Task<bool> UsesLangfuseAsync(CancellationToken cancellationToken) =>
        langfuse.Value.IsConfigured && await features.IsEnabledAsync(FeatureFlags.PromptManagement, cancellationToken).ConfigureAwait(false);

    /// <summary>The system prompt of chats, as configured.</summary>
    public Task<PromptTemplate> GetSystemPromptAsync(string? label, int? version, CancellationToken cancellationToken) =>
        GetAsync(options.Value.SystemPromptName, label, version, cancellationToken);

    /// <summary>Langfuse's prompts when configured and reachable, otherwise the built-in ones.</summary>
    public async Task<IReadOnlyList<PromptSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var builtIn = BuiltInPrompts.All.Select(p => new PromptSummary(p.Name, [], p.Labels, PromptSource.BuiltIn)).ToList();
        if (!await UsesLangfuseAsync(cancellationToken).ConfigureAwait(false))
        {
            return builtIn;
        }

        try
        {
            return await langfusePrompts.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsLangfuseFailure(ex, cancellationToken))
        {
            LogFallback(ex, "list");
            return builtIn;
        }
    }

    private PromptKey KeyOf(string name, string? label, int? version) =>
        new(name, version is null ? label ?? options.Value.DefaultLabel : null, version);

    private Task<PromptTemplate?> FetchCachedAsync(PromptKey key, CancellationToken cancellationToken) =>
        cache.GetAsync(key.CacheKey, TimeSpan.FromSeconds(options.Value.CacheTtlSeconds), ct => FetchAsync(key, ct), cancellationToken);

    private static bool IsLangfuseFailure(Exception ex, CancellationToken cancellationToken) =>
        PromptSourceFailures.IsSourceFailure(ex) && !cancellationToken.IsCancellationRequested;

    // Runs once per cache period and key (the cache's fetch), so what it logs is logged at that rate, not per chat.
    private async Task<PromptTemplate?> FetchAsync(PromptKey key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.FetchTimeoutSeconds));
        var prompt = await langfusePrompts.GetAsync(key, timeout.Token).ConfigureAwait(false);
        if (prompt is null)
        {
            LogNotInLangfuse(key.CacheKey);
        }

        return prompt;
    }

    private PromptTemplate Fallback(string name) =>
        BuiltInPrompts.Find(name) ?? BuiltInPrompts.Find(options.Value.SystemPromptName) ?? BuiltInPrompts.Find(BuiltInPrompts.SystemPromptName)!;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prompt {Key} could not be fetched from Langfuse; using the built-in default")]
    private partial void LogFallback(Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Langfuse has no prompt {Key}; using the built-in default")]
    private partial void LogNotInLangfuse(string key);
}
