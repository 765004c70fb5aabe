using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Twin.Testing.Fakes.Langfuse;

namespace Twin.Observability.Tests.Fakes;

/// <summary>Plain HTTP against the fake's REST routes, as any Langfuse client sends it.</summary>
internal static class LangfuseRestClient
{
    public static HttpClient Authorized(FakeLangfuse langfuse)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(langfuse.BasicAuthorization);
        return http;
    }

    public static Task<HttpResponseMessage> GetAsync(this HttpClient http, FakeLangfuse langfuse, string pathAndQuery) =>
        http.GetAsync(langfuse.BaseUrl + pathAndQuery);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, FakeLangfuse langfuse, string path, string json) =>
        http.PostAsync(langfuse.BaseUrl + path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
