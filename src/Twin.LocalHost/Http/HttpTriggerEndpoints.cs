using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Twin.LocalHost.Invocation;

namespace Twin.LocalHost.Http;

/// <summary>
/// Maps each HTTP-triggered function to <c>/{routePrefix}/{route}</c> for its methods and runs it the way the
/// isolated worker's ASP.NET Core integration does: <see cref="HttpRequest"/>, route and query values bound by
/// parameter name, the request's <see cref="CancellationToken"/>, and an <see cref="IResult"/> or
/// <see cref="IActionResult"/> executed against the response.
/// </summary>
public static partial class HttpTriggerEndpoints
{
    public static void Map(WebApplication app, IEnumerable<LocalFunction> functions, string routePrefix, FunctionKeyAuthorizer keys)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Twin.LocalHost.Http");
        foreach (var function in functions)
        {
            var template = string.IsNullOrEmpty(routePrefix) ? RouteRules.RouteOf(function) : $"{routePrefix}/{RouteRules.RouteOf(function)}";
            app.MapMethods("/" + template, RouteRules.MethodsOf(function), context => HandleAsync(context, function, keys, logger))
                .WithDisplayName(function.Name);
        }
    }

    private static async Task HandleAsync(HttpContext context, LocalFunction function, FunctionKeyAuthorizer keys, ILogger logger)
    {
        if (!keys.IsAuthorized(context.Request, function.Name, function.Trigger.AuthLevel))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        LogExecuting(logger, function.Name, context.TraceIdentifier);
        object? result;
        try
        {
            result = await FunctionInvoker.InvokeAsync(function, context.RequestServices, (p, _) => Bind(p, context, function)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // The Functions host answers an unhandled function exception with a bare 500 and logs it; so do we.
            LogFailed(logger, ex, function.Name);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }

            return;
        }

        await WriteResultAsync(context, result).ConfigureAwait(false);
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context, LocalFunction function)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        var name = parameter.Name!;
        var text = context.Request.RouteValues.TryGetValue(name, out var routeValue) ? Convert.ToString(routeValue, System.Globalization.CultureInfo.InvariantCulture)
            : context.Request.Query.TryGetValue(name, out var queryValue) ? queryValue.ToString()
            : null;
        if (ValueConverter.TryConvert(text, parameter.ParameterType, out var value))
        {
            return value;
        }

        throw new InvalidOperationException($"Function '{function.Name}': cannot bind parameter '{name}' of type {parameter.ParameterType.Name}.");
    }

    private static async Task WriteResultAsync(HttpContext context, object? result)
    {
        switch (result)
        {
            case IResult httpResult:
                await httpResult.ExecuteAsync(context).ConfigureAwait(false);
                break;
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType(), context.RequestAborted).ConfigureAwait(false);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Executing 'Functions.{FunctionName}' (Reason='This function was programmatically called via the host APIs.', Id={InvocationId})")]
    private static partial void LogExecuting(ILogger logger, string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function '{FunctionName}' failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName);
}
