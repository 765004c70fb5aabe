using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;

namespace Twin.LocalHost.Invocation;

/// <summary>
/// Invokes a function as the isolated worker does: a DI scope per invocation, the function class created from it
/// (constructor injection), each parameter supplied by the trigger's binder, and the returned task awaited.
/// </summary>
public static class FunctionInvoker
{
    public static async Task<object?> InvokeAsync(
        LocalFunction function,
        IServiceProvider services,
        Func<ParameterInfo, IServiceProvider, object?> bindParameter)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Type);
        try
        {
            var arguments = function.Method.GetParameters().Select(p => bindParameter(p, scope.ServiceProvider)).ToArray();
            object? returned;
            try
            {
                returned = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }

            return await Unwrap(returned).ConfigureAwait(false);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static async Task<object?> Unwrap(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task.ConfigureAwait(false);
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty(nameof(Task<object>.Result)) is { } result && result.PropertyType.Name != "VoidTaskResult"
                    ? result.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            case { } value when value.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>):
                return await (Task<object?>)typeof(FunctionInvoker).GetMethod(nameof(AwaitValueTask), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(t.GetGenericArguments()[0]).Invoke(null, [value])!;
            default:
                return returned;
        }
    }

    private static async Task<object?> AwaitValueTask<T>(ValueTask<T> task) => await task.ConfigureAwait(false);
}
