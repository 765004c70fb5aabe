using System.Reflection;
using Twin.LocalHost.Metadata;

namespace Twin.LocalHost.Invocation;

/// <summary>A function from <c>functions.metadata</c> resolved to the method that implements it.</summary>
public sealed record LocalFunction(FunctionMetadata Metadata, Type Type, MethodInfo Method)
{
    public string Name => Metadata.Name;

    public BindingMetadata Trigger => Metadata.Trigger;
}
