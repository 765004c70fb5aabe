using Microsoft.Playwright;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>
/// The open dashboard follows the live stream: a chat sent over HTTP shows up on the page without a reload. An app
/// and a Chromium of its own (a fixture instance per class), so the chat does not change another test's numbers.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardLiveBrowserTests(DashboardBrowserFixture app) : IClassFixture<DashboardBrowserFixture>
{
    [Fact]
    public async Task A_chat_sent_while_the_page_is_open_appears_on_it_without_a_reload()
    {
        using var admin = app.Server.CreateClient(TestKeys.Admin);
        using var user = app.Server.CreateClient(TestKeys.User);
        var twinId = await DashboardChats.CreateTwinAsync(admin);

        await using var context = await DashboardBrowserTests.NewContextAsync(app);
        var page = await DashboardBrowserTests.OpenAsync(context);
        var failures = DashboardBrowserTests.WatchForFailures(page);
        await DashboardBrowserTests.EnterKeyAsync(page, TestKeys.Admin);
        await DashboardBrowserTests.WaitUntilReadyAsync(page);
        await Assertions.Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "on", new() { Timeout = DashboardBrowserTests.Timeout });
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Interlocked.Increment(ref navigations);
            }
        };
        var requestsBefore = await page.Locator("#headline-requests").GetAttributeAsync("data-value");

        var traceId = (await DashboardChats.ChatAsync(user, twinId, 1))[0];

        var row = page.Locator($"#traces tbody tr[data-trace-id='{traceId}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = DashboardBrowserTests.Timeout });
        await Assertions.Expect(row).ToContainTextAsync(twinId, new() { Timeout = DashboardBrowserTests.Timeout });
        Assert.Equal(traceId, await page.Locator("#traces tbody tr").First.GetAttributeAsync("data-trace-id"));
        await Assertions.Expect(page.Locator("#headline-requests")).Not.ToHaveAttributeAsync("data-value", requestsBefore ?? "", new() { Timeout = DashboardBrowserTests.Timeout });
        Assert.Equal(1, await page.Locator($"#traces tbody tr[data-trace-id='{traceId}']").CountAsync());
        Assert.Equal(0, Volatile.Read(ref navigations));
        Assert.Empty(failures);
    }
}
