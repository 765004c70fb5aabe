using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Twin.Observability.Ledger;
using Twin.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>
/// The app on an Azurite account of its own and one headless Chromium for the test class: Debian's
/// <c>/usr/bin/chromium</c>, driven by Playwright (no browser is ever downloaded). Both are closed in
/// <see cref="DisposeAsync"/>. Without Chromium every test of the class fails with the step that installs it.
/// </summary>
public sealed class DashboardBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;

    public LocalHostServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}, and the dashboard's browser test drives it. Install it with " +
                "'apt-get update && apt-get install -y chromium' (as root), the step scripts/test.sh runs before the tests.");
        }

        try
        {
            // The rollup timer is off: the test writes ledger rows into the past (earlier hours, the previous period),
            // which a rollup that had already passed them would leave uncounted. The live stream ticks every second.
            Server = await TwinApp.StartAsync(
                ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
                ("AzureWebJobs.RollupMetrics.Disabled", "true"),
                ("Dashboard:StreamIntervalSeconds", "1"));
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            // Closes the Chromium process (and its renderers); the Playwright driver goes with Dispose below.
            await Browser.CloseAsync();
            Browser = null!;
        }

        _playwright?.Dispose();
        _playwright = null;
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Server = null!;
        }
    }
}

/// <summary>
/// The dashboard page in a real browser: the admin key is asked for, a wrong one is refused with a clear message, and
/// with the right one every chart is drawn, the headline numbers are the API's and the chats just made are listed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardBrowserTests(DashboardBrowserFixture app, ITestOutputHelper output) : IClassFixture<DashboardBrowserFixture>
{
    internal const float Timeout = 30_000;

    private static readonly string[] Charts = ["chart-volume", "chart-latency", "chart-errors", "chart-scores", "chart-cost"];

    [Fact]
    public async Task A_wrong_key_shows_the_error_and_another_key_can_be_entered()
    {
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context);

        await EnterKeyAsync(page, TestKeys.Admin + "-wrong");
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("admin key was refused", new() { Timeout = Timeout });
        Assert.True(await page.Locator("#dashboard").IsHiddenAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('twin-dashboard.admin-key')"));

        await EnterKeyAsync(page, TestKeys.User);
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("does not have the admin role", new() { Timeout = Timeout });
        Assert.True(await page.Locator("#dashboard").IsHiddenAsync());

        await EnterKeyAsync(page, TestKeys.Admin);
        await WaitUntilReadyAsync(page);
        Assert.True(await page.Locator("#dashboard").IsVisibleAsync());
        Assert.True(await page.Locator("#key-panel").IsHiddenAsync());
        Assert.Equal(TestKeys.Admin, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('twin-dashboard.admin-key')"));
    }

    [Fact]
    public async Task The_page_draws_every_chart_and_shows_the_api_headline_numbers_and_the_recent_chats()
    {
        using var admin = app.Server.CreateClient(TestKeys.Admin);
        using var user = app.Server.CreateClient(TestKeys.User);
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        var twinId = await DashboardChats.CreateTwinAsync(admin);
        var traceIds = await DashboardChats.ChatAsync(user, twinId, 4);
        await DashboardChats.RefusedChatAsync(user, twinId);
        var scores = new[] { 0.9, 0.7, 0.8, 0.6 };
        var rows = (await DashboardChats.LedgerRowsAsync(app.Server, twinId, started, DateTimeOffset.UtcNow.AddMinutes(1))).Where(r => r.Status == "ok").ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            await DashboardChats.ScoreAsync(app.Server, rows[i], new Dictionary<string, double> { ["relevance"] = scores[i], ["groundedness"] = 1 - (scores[i] / 2) });
        }

        // Earlier chats of the last day and of the day before (the previous period), as the ledger holds them.
        var ledger = app.Server.Services.GetRequiredService<LedgerStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var (hoursAgo, latencyMs, status) in new[] { (20, 820, "ok"), (16, 640, "ok"), (12, 0, "error"), (9, 1210, "ok"), (5, 560, "ok"), (2, 730, "ok"), (30, 900, "ok"), (40, 700, "ok") })
        {
            var row = DashboardChats.LedgerRow(twinId, now - TimeSpan.FromHours(hoursAgo), latencyMs, 0.0004m * latencyMs / 100, status);
            await ledger.WriteAsync(row, default);
            if (status == "ok")
            {
                await DashboardChats.ScoreAsync(app.Server, row, new Dictionary<string, double> { ["relevance"] = 0.5 + (hoursAgo % 5 / 10.0), ["groundedness"] = 0.9 - (hoursAgo % 4 / 10.0) });
            }
        }

        await using var context = await NewContextAsync();
        var page = await OpenAsync(context);
        var failures = WatchForFailures(page);
        await EnterKeyAsync(page, TestKeys.Admin);
        await WaitUntilReadyAsync(page);

        // The headline request count is the API's over the range the page asked for.
        var range = page.Locator("#range-info");
        var from = await range.GetAttributeAsync("data-from");
        var to = await range.GetAttributeAsync("data-to");
        var overview = await GetJsonAsync(admin, $"/api/dashboard/overview?from={Uri.EscapeDataString(from!)}&to={Uri.EscapeDataString(to!)}");
        var requests = overview.GetProperty("requests").GetProperty("value").GetDouble();
        // Five chats now, six rows of earlier hours; two rows in the previous period.
        Assert.True(requests == 11 && overview.GetProperty("requests").GetProperty("previous").GetDouble() == 2, overview.ToString());
        Assert.Equal(requests.ToString("N0", CultureInfo.GetCultureInfo("en-US")), (await page.Locator("#headline-requests .value").TextContentAsync())?.Trim());
        var change = overview.GetProperty("requests");
        Assert.Equal(
            FormattableString.Invariant($"+{change.GetProperty("change").GetDouble():N0} (+{change.GetProperty("changePercent").GetDouble():0.0} %)"),
            (await page.Locator("#headline-requests .change").TextContentAsync())?.Trim());
        Assert.Equal(overview.GetProperty("errors").GetProperty("value").GetDouble().ToString("N0", CultureInfo.GetCultureInfo("en-US")), (await page.Locator("#headline-errors .value").TextContentAsync())?.Trim());
        var relevance = double.Parse((await page.Locator("#headline-score-relevance .value").TextContentAsync())!, CultureInfo.InvariantCulture);
        Assert.Equal(overview.GetProperty("scores").GetProperty("relevance").GetProperty("value").GetDouble(), relevance, 0.0005);

        // The recent traces list the chats just made, newest first, with their trace ids.
        var listed = await page.Locator("#traces tbody tr[data-trace-id]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.traceId)");
        foreach (var traceId in traceIds)
        {
            Assert.Contains(traceId, listed);
            await Assertions.Expect(page.Locator($"#traces tr[data-trace-id='{traceId}']")).ToContainTextAsync(traceId, new() { Timeout = Timeout });
        }

        Assert.True(Array.IndexOf(listed, traceIds[^1]) < Array.IndexOf(listed, traceIds[0]), "newest first");
        await Assertions.Expect(page.Locator("#alerts")).ToContainTextAsync("No active alerts", new() { Timeout = Timeout });

        // Every chart is drawn: a canvas with a size, painted pixels and the series' points.
        foreach (var chart in Charts)
        {
            var drawn = await page.EvaluateAsync<JsonElement>(
                """
                id => {
                  const canvas = document.getElementById(id);
                  const chart = window.Chart.getChart(canvas);
                  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                  let painted = 0;
                  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
                  const points = chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null && v !== undefined).length, 0) : -1;
                  return { width: canvas.width, height: canvas.height, painted, points, dataUrl: canvas.toDataURL('image/png').length };
                }
                """,
                chart);
            output.WriteLine($"{chart}: {drawn}");
            Assert.True(drawn.GetProperty("width").GetInt32() > 100 && drawn.GetProperty("height").GetInt32() > 100, $"{chart}: {drawn}");
            Assert.True(drawn.GetProperty("painted").GetInt32() > 1_000, $"{chart} is blank: {drawn}");
            Assert.True(drawn.GetProperty("points").GetInt32() > 0, $"{chart} has no data: {drawn}");
            Assert.True(drawn.GetProperty("dataUrl").GetInt32() > 2_000, $"{chart}: {drawn}");
        }

        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true, Timeout = Timeout });
        output.WriteLine($"Screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // Nothing was refused by the Content-Security-Policy, no script failed, no request went wrong.
        Assert.Empty(failures);
    }

    private Task<IBrowserContext> NewContextAsync() => NewContextAsync(app);

    internal static Task<IBrowserContext> NewContextAsync(DashboardBrowserFixture app) =>
        app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });

    internal static async Task<IPage> OpenAsync(IBrowserContext context)
    {
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("/api/dashboard", new PageGotoOptions { Timeout = Timeout, WaitUntil = WaitUntilState.Load });
        Assert.Equal((int)HttpStatusCode.OK, response?.Status);
        await Assertions.Expect(page.Locator("#key-input")).ToBeVisibleAsync(new() { Timeout = Timeout });
        return page;
    }

    internal static async Task EnterKeyAsync(IPage page, string key)
    {
        await page.Locator("#key-input").FillAsync(key, new LocatorFillOptions { Timeout = Timeout });
        await page.Locator("#key-submit").ClickAsync(new LocatorClickOptions { Timeout = Timeout });
    }

    internal static async Task WaitUntilReadyAsync(IPage page)
    {
        await page.Locator("body[data-state='ready']").WaitForAsync(new LocatorWaitForOptions { Timeout = Timeout });
    }

    internal static List<string> WatchForFailures(IPage page)
    {
        var failures = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (failures)
                {
                    failures.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (failures)
            {
                failures.Add($"page error: {error}");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            lock (failures)
            {
                failures.Add($"request failed: {request.Url} {request.Failure}");
            }
        };
        return failures;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
