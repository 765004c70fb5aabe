using Microsoft.Extensions.Configuration;
using Twin.LocalHost;

// The real worker is the only mode; --worker, the opt-in switch of the first slice, is still accepted.
args = [.. args.Where(a => !a.Equals("--worker", StringComparison.OrdinalIgnoreCase))];

// The app to run: --app <path to the worker assembly>, else the Twin.Functions this host was built with.
var appPath = new ConfigurationBuilder().AddCommandLine(args).Build()["app"];
var app = LocalFunctionsHost.Build(appPath is { Length: > 0 } ? new LocalFunctionsApp(appPath) : LocalFunctionsApp.Built("Twin.Functions"), args);
await app.RunAsync();
