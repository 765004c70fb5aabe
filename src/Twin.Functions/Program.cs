using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Twin.Functions;
using Twin.Functions.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<InvocationIdHeaderMiddleware>();
builder.UseMiddleware<ForwardedForMiddleware>();
builder.Services.AddTwinFunctionsApp(builder.Configuration);
builder.Build().Run();
