using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>
/// Where share links point outside Development: only at <c>Twins:PublicBaseUrl</c>, which the app then requires at
/// start-up. The environment is the Functions one (<c>AZURE_FUNCTIONS_ENVIRONMENT</c>), as the host passes it on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ShareLinkEnvironmentTests
{
    [Fact]
    public async Task Outside_development_the_app_refuses_to_start_without_a_public_base_url()
    {
        // The worker refuses to start; the host's start fails with the worker's own words.
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
            await (await TwinApp.StartAsync(("AZURE_FUNCTIONS_ENVIRONMENT", "Production"), ("Twins:PublicBaseUrl", ""))).DisposeAsync());

        Assert.Contains("Twins:PublicBaseUrl is required outside Development", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_host_runs_the_app_in_development_unless_told_otherwise()
    {
        // Without a public base URL the worker would refuse to start in any other environment.
        await using var server = await TwinApp.StartAsync(("AZURE_FUNCTIONS_ENVIRONMENT", null), ("Twins:PublicBaseUrl", ""));

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task Outside_development_links_use_the_public_base_url_whatever_the_host()
    {
        await using var server = await TwinApp.StartAsync(("AZURE_FUNCTIONS_ENVIRONMENT", "Production"), ("Twins:PublicBaseUrl", "https://twins.example.com/"));
        using var admin = server.CreateClient(TestKeys.Admin);
        var twinId = "l-" + Guid.NewGuid().ToString("N")[..12];
        (await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Link", persona = "p" })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/manage/twins/{twinId}/share-tokens");
        request.Headers.Host = "evil.example";

        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString();
        Assert.StartsWith($"https://twins.example.com/api/public/chat/{twinId}/tws_", url, StringComparison.Ordinal);
    }
}
