using Microsoft.Extensions.Configuration;
using Twin.LocalHost;

// The app to run: --app <path to the worker assembly>, else the Twin.Functions this host was built with.
var appPath = new ConfigurationBuilder().AddCommandLine(args).Build()["app"];
var app = LocalFunctionsHost.Build(appPath is { Length: > 0 } ? new LocalFunctionsApp(appPath) : LocalFunctionsApp.Built("Twin.Functions"), args);
await app.RunAsync();
