using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Twin.Observability.Llm;
using Twin.Observability.Tracing;
using Twin.Observability.Twins;

namespace Twin.Observability.Chat;

/// <summary>
/// The chat's agent graph: load twin → load history → retrieve knowledge → select few-shot examples → build prompt
/// → generate → post-process → save history. Each node is a child span of the request's trace, typed for Langfuse.
/// </summary>
public sealed class ChatPipeline(
    ITwinLookup twins,
    IConversationHistory conversations,
    IFewShotSelector fewShot,
    IChatClient llm,
    LlmPricing pricing,
    IOptions<TwinChatOptions> options,
    TimeProvider time)
{
    public async Task<PipelineResult> RunAsync(string twinId, string message, string conversationId, ChatCaller caller, string traceId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var twin = await PipelineNode.RunAsync("load-twin", ObservationTypes.Span, new { twinId }, async _ =>
            await twins.FindAsync(twinId, cancellationToken).ConfigureAwait(false)
            ?? throw new ChatFailedException(ChatErrorTypes.UnknownTwin, $"Twin '{twinId}' does not exist."),
            t => new { t.Id, t.Name }).ConfigureAwait(false);

        var history = await PipelineNode.RunAsync("load-history", ObservationTypes.Span, new { conversationId, maxTurns = settings.HistoryTurns }, _ =>
            conversations.LastTurnsAsync(twinId, caller, conversationId, settings.HistoryTurns, cancellationToken),
            h => new { turns = h.Count }).ConfigureAwait(false);

        var knowledge = await PipelineNode.RunAsync("retrieve-knowledge", ObservationTypes.Retriever, new { query = message }, _ =>
            Task.FromResult(KnowledgeRetriever.Retrieve(message, twin.Knowledge, settings.KnowledgeSnippets)),
            k => k.Select(s => new { s.Index, s.Text, score = Math.Round(s.Score, 3) })).ConfigureAwait(false);

        var examples = await PipelineNode.RunAsync("select-few-shot", ObservationTypes.Span, null, _ =>
            fewShot.SelectAsync(twinId, message, cancellationToken),
            e => new { examples = e.Count }).ConfigureAwait(false);

        var prompt = await PipelineNode.RunAsync("build-prompt", ObservationTypes.Span, null, _ =>
            Task.FromResult(PromptBuilder.Build(twin, knowledge, examples, history, message)),
            m => new { messages = m.Count, systemCharacters = m[0].Text.Length }).ConfigureAwait(false);

        var response = await PipelineNode.RunAsync("generate", ObservationTypes.Chain, null, span => GenerateAsync(span, twin, prompt, knowledge, cancellationToken), r => r.Text).ConfigureAwait(false);

        var reply = await PipelineNode.RunAsync("post-process", ObservationTypes.Span, null, _ =>
            Task.FromResult(PostProcess(response.Text, settings.MaxReplyLength)), r => r).ConfigureAwait(false);

        await PipelineNode.RunAsync("save-history", ObservationTypes.Span, null, async _ =>
        {
            var now = time.GetUtcNow();
            await conversations.AppendAsync(twinId, caller, conversationId, traceId, [new("user", message, now), new("assistant", reply, now)], cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

        var model = response.ModelId ?? twin.Model ?? "unknown";
        var usage = new ChatUsage(
            response.Usage?.InputTokenCount ?? 0,
            response.Usage?.OutputTokenCount ?? 0,
            response.Usage?.TotalTokenCount ?? ((response.Usage?.InputTokenCount ?? 0) + (response.Usage?.OutputTokenCount ?? 0)));
        var cost = pricing.For(model)?.Cost(usage.InputTokens, usage.OutputTokens);
        return new PipelineResult(reply, model, usage, cost, PromptName: null, PromptVersion: null);
    }

    private async Task<ChatResponse> GenerateAsync(
        System.Diagnostics.Activity? span,
        TwinProfile twin,
        List<ChatMessage> prompt,
        IReadOnlyList<RetrievedSnippet> knowledge,
        CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ModelId = twin.Model,
            Temperature = twin.Temperature is { } t ? (float)t : null,
            AdditionalProperties = new AdditionalPropertiesDictionary { [OfflineChatClient.KnowledgeProperty] = knowledge.Select(k => k.Text).ToList() },
        };
        var model = twin.Model ?? llm.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";
        if (span is not null)
        {
            new GenerationDetails { Price = pricing.For(model) }.AttachTo(span);
        }

        try
        {
            return await llm.GetResponseAsync(prompt, chatOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw LlmFailures.Classify(ex);
        }
    }

    private static string PostProcess(string text, int maxLength)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= maxLength ? trimmed : trimmed[..maxLength];
    }
}
