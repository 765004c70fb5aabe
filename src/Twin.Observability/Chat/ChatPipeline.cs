using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twin.Observability.Llm;
using Twin.Observability.Prompts;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>
/// The chat's agent graph after admission (which loaded the twin): load history → retrieve knowledge → select few-shot examples → build prompt
/// → generate → post-process → save history. Each node is a child span of the request's trace, typed for Langfuse.
/// </summary>
public sealed partial class ChatPipeline(
    IConversationHistory conversations,
    IFewShotSelector fewShot,
    IChatClient llm,
    PromptService prompts,
    LlmPricing pricing,
    IOptions<TwinChatOptions> options,
    TimeProvider time,
    ILogger<ChatPipeline> logger)
{
    public async Task<PipelineResult> RunAsync(TwinProfile twin, string message, string conversationId, ChatCaller caller, string traceId, CancellationToken cancellationToken, PipelineOverrides? overrides = null)
    {
        overrides ??= PipelineOverrides.None;
        var settings = options.Value;
        var twinId = twin.Id;
        var timings = new NodeTimings();

        var history = await PipelineNode.RunAsync("load-history", ObservationTypes.Span, new LoadHistorySpanInput(conversationId, settings.HistoryTurns), _ =>
            overrides.UseHistory ? conversations.LastTurnsAsync(twinId, caller, conversationId, settings.HistoryTurns, cancellationToken) : Task.FromResult<IReadOnlyList<ConversationTurn>>([]),
            h => new LoadHistorySpanOutput(h.Count), timings: timings).ConfigureAwait(false);

        var knowledge = await PipelineNode.RunAsync("retrieve-knowledge", ObservationTypes.Retriever, new RetrieveSpanInput(message), _ =>
            Task.FromResult(KnowledgeRetriever.Retrieve(message, twin.Knowledge, settings.KnowledgeSnippets)),
            k => k.Select(s => new RetrievedSnippetView(s.Index, s.Text, Math.Round(s.Score, 3))).ToArray(), timings: timings).ConfigureAwait(false);

        var selection = await PipelineNode.RunAsync("select-few-shot", ObservationTypes.Retriever, new RetrieveSpanInput(message), _ =>
            overrides.FewShot ? fewShot.SelectAsync(twinId, message, conversationId, cancellationToken) : Task.FromResult(FewShotSelection.Empty(message)),
            s => s.Examples.Select(e => new FewShotExampleView(e.ItemId, Math.Round(e.Similarity, 3), e.SourceTraceId)).ToArray(), timings: timings).ConfigureAwait(false);
        var examples = selection.Messages;

        var prompt = await PipelineNode.RunAsync("build-prompt", ObservationTypes.Span, null, async _ =>
            PromptBuilder.Build(await TemplateOfAsync(overrides, cancellationToken).ConfigureAwait(false), twin, knowledge, examples, history, message, overrides.Variables),
            b => new BuildPromptSpanOutput(b.Template.Name, b.Template.Version, b.Template.Source.ToString(), b.Messages.Count, b.MissingVariables), timings: timings).ConfigureAwait(false);

        // The prompt's config (managed in Langfuse) wins over the twin's own settings; null leaves the app's Llm:Model.
        var requested = overrides.Model ?? prompt.Template.Config.Model ?? twin.Model;
        // The snippets as the model saw them: handed to the offline model and, with the reply, to the judges.
        var snippets = knowledge.Select(k => k.Text).ToList();
        var response = await PipelineNode.RunAsync("generate", ObservationTypes.Chain, null, span => GenerateAsync(span, twin, requested, overrides.Temperature, prompt, snippets, cancellationToken), r => r.Text, timings: timings).ConfigureAwait(false);

        var reply = await PipelineNode.RunAsync("post-process", ObservationTypes.Span, null, _ =>
            Task.FromResult(PostProcess(response.Text, settings.MaxReplyLength)), r => r, timings: timings).ConfigureAwait(false);

        await PipelineNode.RunAsync("save-history", ObservationTypes.Span, null, async _ =>
        {
            if (!overrides.UseHistory)
            {
                return false;
            }

            var now = time.GetUtcNow();
            await conversations.AppendAsync(twinId, caller, conversationId, traceId, [new("user", message, now), new("assistant", reply, now)], cancellationToken).ConfigureAwait(false);
            return true;
        }, timings: timings).ConfigureAwait(false);

        var model = response.ModelId ?? requested ?? "unknown";
        var tokens = new TokenUsage(response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, response.Usage?.CachedInputTokenCount ?? 0);
        var usage = new ChatUsage(tokens.Input, tokens.Output, response.Usage?.TotalTokenCount ?? tokens.Total);
        // A provider that reported no usage leaves the cost unknown, never zero.
        var cost = response.Usage is null ? null : pricing.For(response.ModelId, requested)?.CostOf(tokens).Total;
        return new PipelineResult(message, reply, model, usage, cost, prompt.Template.Name, prompt.Template.Version, snippets, timings);
    }

    private async Task<PromptTemplate> TemplateOfAsync(PipelineOverrides overrides, CancellationToken cancellationToken) =>
        overrides.Prompt
        ?? (overrides.PromptName is { } name
            ? await prompts.GetAsync(name, overrides.PromptLabel, overrides.PromptVersion, cancellationToken).ConfigureAwait(false)
            : await prompts.GetSystemPromptAsync(overrides.PromptLabel, overrides.PromptVersion, cancellationToken).ConfigureAwait(false));

    private async Task<ChatResponse> GenerateAsync(
        System.Diagnostics.Activity? span,
        TwinProfile twin,
        string? modelId,
        double? temperatureOverride,
        BuiltPrompt prompt,
        IReadOnlyList<string> snippets,
        CancellationToken cancellationToken)
    {
        var temperature = temperatureOverride ?? prompt.Template.Config.Temperature ?? twin.Temperature;
        var chatOptions = new ChatOptions
        {
            ModelId = modelId,
            Temperature = temperature is { } t ? (float)t : null,
            RawRepresentationFactory = OfflineKnowledge.For(snippets),
        };
        if (span is not null)
        {
            var linked = prompt.Template.Source == PromptSource.Langfuse;
            new GenerationDetails
            {
                PriceOf = pricing.For,
                PromptName = linked ? prompt.Template.Name : null,
                PromptVersion = linked ? prompt.Template.Version : null,
            }.AttachTo(span);
        }

        try
        {
            return await llm.GetResponseAsync(prompt.Messages, chatOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = LlmFailures.Classify(ex);
            // A summary, not the exception: the upstream's message is its text, and what it echoes is not ours to log.
            LogLlmFailed(failure.ErrorType, LlmFailures.StatusOf(ex)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer", ex.GetType().Name);
            throw failure;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LLM failed to answer the chat ({ErrorType}): status {Status}, {ExceptionType}")]
    private partial void LogLlmFailed(string errorType, string status, string exceptionType);

    private static string PostProcess(string text, int maxLength)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= maxLength ? trimmed : trimmed[..maxLength];
    }
}
