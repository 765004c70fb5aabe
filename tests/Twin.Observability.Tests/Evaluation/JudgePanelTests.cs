using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Observability.Evaluation;
using Twin.Observability.Llm;
using Xunit;

namespace Twin.Observability.Tests.Evaluation;

public sealed class JudgePanelTests
{
    [Fact]
    public async Task Offline_the_judges_are_heuristic_and_no_chat_client_is_built_for_them()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new LlmOptions()));
        services.AddSingleton<IChatClient>(_ => throw new InvalidOperationException("An offline app must not build a chat client for judging."));
        services.AddJudges();
        using var provider = services.BuildServiceProvider();

        var panel = provider.GetRequiredService<JudgePanel>();

        Assert.False(panel.UsesLlm);
        Assert.Equal(ScoreNames.All, provider.GetServices<IJudge>().Select(j => j.Name));
        Assert.IsType<HeuristicRelevanceJudge>(provider.GetRequiredKeyedService<IJudge>(ScoreNames.Relevance));
        Assert.IsType<HeuristicGroundednessJudge>(provider.GetRequiredKeyedService<IJudge>(ScoreNames.Groundedness));
        Assert.IsType<HeuristicPersonaJudge>(provider.GetRequiredKeyedService<IJudge>(ScoreNames.PersonaConsistency));
        Assert.Same(panel.Judges[0], provider.GetServices<IJudge>().First());

        var verdicts = await panel.JudgeAllAsync(ChatTurnCases.Get("ada-experience").Good, CancellationToken.None);
        Assert.Equal(ScoreNames.All, verdicts.Select(v => v.Name));
        Assert.All(verdicts, v => Assert.Equal(JudgeMethods.Heuristic, v.Method));
    }

    [Fact]
    public void With_a_model_configured_the_judges_are_LLM_judges_on_the_apps_chat_client()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new LlmOptions { Endpoint = "http://127.0.0.1:9/v1", Model = "judge" }));
        services.AddSingleton<IChatClient, OfflineChatClient>();
        services.AddJudges();
        services.AddJudges();
        using var provider = services.BuildServiceProvider();

        var judges = provider.GetServices<IJudge>().ToList();

        Assert.True(provider.GetRequiredService<JudgePanel>().UsesLlm);
        Assert.Equal(ScoreNames.All, judges.Select(j => j.Name));
        Assert.Equal(JudgePrompts.All, judges.Cast<LlmJudge>().Select(j => j.Criterion));
    }

    [Fact]
    public void A_panel_must_have_one_judge_per_score_in_order()
    {
        Assert.Throws<ArgumentException>(() => new JudgePanel([new HeuristicGroundednessJudge(), new HeuristicRelevanceJudge(), new HeuristicPersonaJudge()]));
        Assert.Throws<KeyNotFoundException>(() => JudgePanel.Heuristic().Get("toxicity"));
    }
}
