using System.Net;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.LocalHost;

[Collection(AzuriteCollection.Name)]
public sealed class DisabledFunctionTests
{
    [Theory]
    [InlineData("AzureWebJobs.KeyedEcho.Disabled", "AzureWebJobs.AtStartup.Disabled")]
    [InlineData("AzureWebJobs:KeyedEcho:Disabled", "AzureWebJobs:AtStartup:Disabled")]
    public async Task A_function_disabled_by_app_setting_is_neither_served_nor_scheduled(string httpSetting, string timerSetting)
    {
        var settings = ProbeApp.Settings(tickSchedule: "* * * * * *");
        settings[httpSetting] = "true";
        settings[timerSetting] = "true";
        await using var probe = await ProbeApp.StartAsync(settings);
        using var keyed = probe.Server.CreateClient(null);
        keyed.DefaultRequestHeaders.Add("x-functions-key", ProbeApp.MasterKey);

        var disabled = await keyed.GetAsync("/api/probe/ada/3");
        var enabled = await keyed.GetAsync("/api/probe-admin");
        Assert.Equal(HttpStatusCode.NotFound, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        // A runOnStartup timer runs before its first scheduled tick, so once the enabled timer has ticked twice the
        // disabled one would have run had it been scheduled.
        await Eventually.TrueAsync(async () => await probe.CountAsync("EverySecond") >= 2, TimeSpan.FromSeconds(10));
        Assert.Equal(0, await probe.CountAsync("AtStartup"));
    }
}
