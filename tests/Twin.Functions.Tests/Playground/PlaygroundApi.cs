using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Twin.Functions.Tests.Playground;

/// <summary>Calls of the playground routes shared by its end-to-end tests.</summary>
internal static class PlaygroundApi
{
    public const string TestRoute = "/api/manage/playground/test";
    public const string CompareRoute = "/api/manage/playground/compare";

    public static async Task<(JsonElement Body, HttpResponseMessage Response)> PostOkAsync(HttpClient client, string route, object body)
    {
        var response = await client.PostAsJsonAsync(route, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static async Task<string> CreateTwinAsync(HttpClient admin, string prefix, string name, params string[] knowledge)
    {
        var twinId = prefix + Guid.NewGuid().ToString("N")[..10];
        (await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name, persona = $"You are {name}, an engineer.", knowledge })).EnsureSuccessStatusCode();
        return twinId;
    }
}
