using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Experiments;
using Twin.Observability.Features;
using Xunit;

namespace Twin.Observability.Tests.Features;

/// <summary>The gates the composition root puts around the services through which a chat starts flagged work.</summary>
public sealed class FeatureGateTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task With_evaluation_off_a_chat_queues_no_evaluation(bool on, int queued)
    {
        var inner = new CountingDispatcher();
        var gated = Gated<IEvaluationDispatcher>(inner, Features(FeatureFlags.Evaluation, on));

        await gated.EnqueueAsync(new EvaluationRequest { TraceId = "t", ObservationId = "o", TwinId = "ada", Endpoint = "chat", Environment = "test", LedgerTimestamp = DateTimeOffset.UnixEpoch, Message = "hi", Reply = "hello" }, default);

        Assert.Equal(queued, inner.Count);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task With_few_shot_off_a_chat_gets_no_examples(bool on, int examples)
    {
        var gated = Gated<IFewShotSelector>(new OneExampleSelector(), Features(FeatureFlags.FewShot, on));

        var selection = await gated.SelectAsync("ada", "Which tool?", "c1", default);

        Assert.Equal(examples, selection.Examples.Count);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task With_ab_testing_off_no_chat_joins_a_running_test(bool on, bool joins)
    {
        var gated = Gated<IExperimentArms>(new AlwaysArm(), Features(FeatureFlags.ABTesting, on));

        Assert.Equal(joins, await gated.ArmAsync("ada", "user-1", default) is not null);
    }

    private static IFeatureManager Features(string flag, bool on) => on ? TestFeatures.AllOn : TestFeatures.Off(flag);

    // The same registration path as the app's: the service registered, then AddFeatureGates wraps it.
    private static TService Gated<TService>(TService inner, IFeatureManager features)
        where TService : class
    {
        var services = new ServiceCollection()
            .AddSingleton(features)
            .AddSingleton<IEvaluationDispatcher>(new CountingDispatcher())
            .AddSingleton<IFewShotSelector>(new OneExampleSelector())
            .AddSingleton<IExperimentArms>(new AlwaysArm());
        services.AddSingleton(inner);
        services.AddFeatureGates();
        return services.BuildServiceProvider().GetRequiredService<TService>();
    }

    private sealed class CountingDispatcher : IEvaluationDispatcher
    {
        public int Count { get; private set; }

        public Task EnqueueAsync(EvaluationRequest request, CancellationToken cancellationToken)
        {
            Count++;
            return Task.CompletedTask;
        }
    }

    private sealed class OneExampleSelector : IFewShotSelector
    {
        public Task<FewShotSelection> SelectAsync(string twinId, string message, string conversationId, CancellationToken cancellationToken) =>
            Task.FromResult(new FewShotSelection(message, [new ChatMessage(ChatRole.User, "q"), new ChatMessage(ChatRole.Assistant, "a")], [new SelectedFewShotExample("item1", 0.9, "trace1")]));
    }

    private sealed class AlwaysArm : IExperimentArms
    {
        public Task<ExperimentArm?> ArmAsync(string twinId, string unitId, CancellationToken cancellationToken) =>
            Task.FromResult<ExperimentArm?>(new ExperimentArm("test-1", new AbTestVariant { Name = "b" }));
    }
}
