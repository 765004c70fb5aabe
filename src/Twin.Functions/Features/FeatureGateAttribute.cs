namespace Twin.Functions.Features;

/// <summary>
/// The rollout flag (<see cref="Twin.Observability.Features.FeatureFlags"/>) a function belongs to, on its class or its
/// method (the method's wins). A function of a flag that is off does not run (<see cref="FeatureGateMiddleware"/>).
/// Functions without one are chat and tracing (P0) or the management every phase needs.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class FeatureGateAttribute(string flag) : Attribute
{
    public string Flag { get; } = flag;
}
