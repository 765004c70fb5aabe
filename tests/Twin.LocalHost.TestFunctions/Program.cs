using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twin.LocalHost.TestFunctions;

var builder = FunctionsApplication.CreateBuilder(args);
if (builder.Configuration["Probe:FailAtStart"] == "true")
{
    throw new InvalidOperationException("The probe app was told to fail at start (Probe:FailAtStart).");
}

builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<WorkerPidMiddleware>();
builder.Services.AddSingleton<ProbeRecorder>();
builder.Build().Run();
