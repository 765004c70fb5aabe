using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twin.Functions;
using Twin.Functions.Features;
using Twin.Functions.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<InvocationIdHeaderMiddleware>();
builder.UseMiddleware<ForwardedForMiddleware>();
builder.UseMiddleware<FeatureGateMiddleware>();
// The worker's own invocation span ("function <name>", child of the host's span from the invocation's trace context)
// joins the app's tracer provider, and the host stops reporting the worker's telemetry itself. Before the app's
// telemetry, so the app's service name and version win over the resource this adds (docs/decisions.md).
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Services.AddTwinFunctionsApp(builder.Configuration);
builder.Build().Run();
