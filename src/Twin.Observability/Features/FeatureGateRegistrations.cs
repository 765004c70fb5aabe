using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Twin.Observability.Chat;
using Twin.Observability.Evaluation;
using Twin.Observability.Experiments;

namespace Twin.Observability.Features;

public static class FeatureGateRegistrations
{
    /// <summary>
    /// Wraps the services through which a chat starts work of a flagged feature (evaluation, few-shot, A/B tests) in a
    /// gate, so the features themselves stay unaware of the rollout. Called last, once those services are registered.
    /// </summary>
    public static IServiceCollection AddFeatureGates(this IServiceCollection services)
    {
        Decorate<IEvaluationDispatcher>(services, (sp, inner) => new FeatureGatedEvaluationDispatcher(inner, sp.GetRequiredService<IFeatureManager>()));
        Decorate<IFewShotSelector>(services, (sp, inner) => new FeatureGatedFewShotSelector(inner, sp.GetRequiredService<IFeatureManager>()));
        Decorate<IExperimentArms>(services, (sp, inner) => new FeatureGatedExperimentArms(inner, sp.GetRequiredService<IFeatureManager>()));
        return services;
    }

    // The registration of TService, wrapped: the inner service is built as it was registered (type, factory or instance).
    private static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> gate)
        where TService : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TService))
            ?? throw new InvalidOperationException($"{typeof(TService).Name} must be registered before its feature gate.");
        services.Remove(registered);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => gate(sp, Build<TService>(sp, registered)), registered.Lifetime));
    }

    private static TService Build<TService>(IServiceProvider provider, ServiceDescriptor descriptor)
        where TService : class =>
        (TService)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
}
