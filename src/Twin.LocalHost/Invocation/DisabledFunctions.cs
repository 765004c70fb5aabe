using Microsoft.Extensions.Configuration;

namespace Twin.LocalHost.Invocation;

/// <summary>
/// The host's switch to turn one function off without a redeploy: the app setting
/// <c>AzureWebJobs.{FunctionName}.Disabled=true</c> (or <c>AzureWebJobs__{FunctionName}__Disabled</c>, the form Linux
/// app settings and environment variables allow). A disabled function is not indexed: no route, no timer, no polling.
/// </summary>
internal static class DisabledFunctions
{
    public static bool IsDisabled(IConfiguration configuration, string functionName) =>
        IsTrue(configuration[$"AzureWebJobs.{functionName}.Disabled"]) || IsTrue(configuration[$"AzureWebJobs:{functionName}:Disabled"]);

    private static bool IsTrue(string? value) => value is not null && (value == "1" || bool.TryParse(value, out var on) && on);
}
