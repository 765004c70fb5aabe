using System.Net.Http.Json;
using System.Text.Json;

namespace Twin.Functions.Tests.EndToEnd;

/// <summary>Small helpers for posting chat messages in tests.</summary>
public static class ChatClient
{
    public static HttpRequestMessage Message(string path, object body, params (string Header, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        foreach (var (header, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public static string TraceIdHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Trace-Id", out var values) ? values.Single() : throw new InvalidOperationException("No X-Trace-Id header.");
}
