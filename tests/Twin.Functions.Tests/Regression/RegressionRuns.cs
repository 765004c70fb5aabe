using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Regression;

/// <summary>Starts a regression run over the API and waits, with a deadline, for its report to say it ended.</summary>
internal static class RegressionRuns
{
    public static async Task<JsonElement> RunAsync(HttpClient admin, object request)
    {
        var started = await admin.PostAsJsonAsync("/api/manage/regression/test", request);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, body);
        var statusUrl = JsonDocument.Parse(body).RootElement.GetProperty("statusUrl").GetString()!;
        Assert.Equal(statusUrl, started.Headers.Location?.OriginalString);
        JsonElement report = default;
        await Eventually.TrueAsync(
            async () => (report = await admin.GetFromJsonAsync<JsonElement>(statusUrl)).GetProperty("status").GetString() is "finished" or "failed",
            TimeSpan.FromSeconds(90),
            "the regression run to end");
        return report;
    }
}
