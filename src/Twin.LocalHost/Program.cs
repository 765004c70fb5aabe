using Twin.Functions;
using Twin.LocalHost;

var app = LocalFunctionsHost.Build(
    new LocalFunctionsApp(typeof(TwinFunctionsApp).Assembly, (services, configuration) => services.AddTwinFunctionsApp(configuration)),
    args);
await app.RunAsync();
