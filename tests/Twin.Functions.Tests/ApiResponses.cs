using System.Net;
using System.Text.Json;
using Xunit;

namespace Twin.Functions.Tests;

/// <summary>Reads an API answer that must have a given status, showing the body when it has another.</summary>
internal static class ApiResponses
{
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
