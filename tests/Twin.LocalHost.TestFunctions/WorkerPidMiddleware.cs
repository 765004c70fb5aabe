using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Twin.LocalHost.TestFunctions;

/// <summary>
/// Worker middleware, which runs only inside the real isolated worker: its header on a response proves the request
/// went through the worker process (and says which one).
/// </summary>
public sealed class WorkerPidMiddleware : IFunctionsWorkerMiddleware
{
    public const string Header = "X-Probe-Worker-Pid";

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http)
        {
            http.Response.Headers[Header] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return next(context);
    }
}
