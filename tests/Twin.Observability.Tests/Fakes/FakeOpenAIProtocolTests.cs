using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Twin.Testing.Fakes.OpenAI;
using Xunit;

namespace Twin.Observability.Tests.Fakes;

/// <summary>The fake OpenAI's answers on the wire: the contract checks and the shape of what it sends back.</summary>
public sealed class FakeOpenAIProtocolTests
{
    [Theory]
    [InlineData("not json", null, null)]
    [InlineData("[]", null, "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", null)]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model", null)]
    [InlineData("""{"model":"m"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":{}}""", "messages", "invalid_type")]
    [InlineData("""{"model":"m","messages":[]}""", "messages", "empty_array")]
    [InlineData("""{"model":"m","messages":["hi"]}""", "messages[0]", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"content":"hi"}]}""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"bot","content":"hi"}]}""", "messages[0].role", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":42}]}""", "messages[0].content", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", "messages[0].content[0]", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}""", "messages[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"s"},{"role":"tool","content":"x"}]}""", "messages[1].tool_call_id", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":3}""", "temperature", "decimal_out_of_range")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}""", "stream", "unsupported_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"json"}],"response_format":"json_object"}""", "response_format", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"json"}],"response_format":{}}""", "response_format.type", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"json"}],"response_format":{"type":"xml"}}""", "response_format.type", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""", "messages", null)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema"}}""", "response_format.json_schema", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"schema":{}}}}""", "response_format.json_schema.name", "missing_required_parameter")]
    public async Task A_body_that_breaks_the_contract_is_400_with_an_OpenAI_error_and_is_recorded(string body, string? param, string? code)
    {
        await using var llm = await FakeOpenAI.StartAsync();
        using var http = Client(llm);

        using var response = await http.PostAsync("chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));

        var invalid = Assert.Single(llm.InvalidRequests);
        Assert.Equal((param, code, body), (invalid.Param, invalid.Code, invalid.RawBody));
        Assert.Empty(llm.Requests);
    }

    [Fact]
    public async Task A_valid_request_gets_a_standard_chat_completion()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        using var http = Client(llm);
        const string body = """
            {"model":"gpt-x","temperature":0,"max_completion_tokens":50,"messages":[
              {"role":"developer","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"https://x"}},{"type":"text","text":"there"}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"42"}]}
            """;

        using var response = await http.PostAsync("chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("chatcmpl-", completion.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.InRange(completion.GetProperty("created").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("gpt-x", completion.GetProperty("model").GetString());
        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Fake reply to: Hello\nthere", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = completion.GetProperty("usage");
        Assert.Equal(
            usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32());

        var request = Assert.Single(llm.Requests);
        Assert.Equal(["developer", "user", "assistant", "tool"], request.Messages.Select(m => m.Role));
        Assert.Equal("Hello\nthere", request.Messages[1].Text);
        Assert.Equal("Be brief.", request.Instructions);
        Assert.Equal(0, request.Temperature);
        Assert.Equal(50, request.MaxTokens);
        Assert.Equal("c1", request.Json.GetProperty("messages")[3].GetProperty("tool_call_id").GetString());
        Assert.Empty(llm.InvalidRequests);
    }

    [Theory]
    [InlineData("""{"type":"text"}""", "text")]
    [InlineData("""{"type":"json_object"}""", "json_object")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"verdict","schema":{"type":"object"},"strict":true}}""", "json_schema")]
    public async Task A_response_format_of_text_or_JSON_is_accepted_as_OpenAI_accepts_it(string format, string type)
    {
        await using var llm = await FakeOpenAI.StartAsync();
        using var http = Client(llm);
        var body = $$"""{"model":"m","messages":[{"role":"system","content":"Answer in JSON."},{"role":"user","content":"hi"}],"response_format":{{format}}}""";

        using var response = await http.PostAsync("chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(llm.InvalidRequests);
        Assert.Equal(type, Assert.Single(llm.Requests).ResponseFormatType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-wrong")]
    [InlineData("Basic c2stZmFrZQ==")]
    public async Task Without_the_bearer_key_the_answer_is_401_with_an_OpenAI_error(string? authorization)
    {
        await using var llm = await FakeOpenAI.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(llm.BaseUrl + "/") };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await http.PostAsync("chat/completions", Json("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ErrorOf(response)).GetProperty("type").GetString());
        Assert.Empty(llm.Requests);
        Assert.Equal(1, llm.RequestCount);
    }

    [Fact]
    public async Task RateLimited_answers_429_with_Retry_After()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = FakeOpenAIMode.RateLimited;
        using var http = Client(llm);

        using var response = await http.PostAsync("chat/completions", Json("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ContentFilter_answers_like_Azure_OpenAI()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = FakeOpenAIMode.ContentFilter;
        using var http = Client(llm);

        using var response = await http.PostAsync("chat/completions", Json("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("content_filter", error.GetProperty("code").GetString());
        Assert.Equal("prompt", error.GetProperty("param").GetString());
        Assert.Equal("ResponsibleAIPolicyViolation", error.GetProperty("innererror").GetProperty("code").GetString());
        Assert.Empty(llm.InvalidRequests);
    }

    [Fact]
    public async Task Malformed_answers_200_with_a_body_that_is_not_JSON()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        llm.Mode = FakeOpenAIMode.Malformed;
        using var http = Client(llm);

        using var response = await http.PostAsync("chat/completions", Json("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Requests_are_counted_per_mode_and_Clear_forgets_them()
    {
        await using var llm = await FakeOpenAI.StartAsync();
        using var http = Client(llm);
        const string body = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

        (await http.PostAsync("chat/completions", Json(body))).Dispose();
        llm.Mode = FakeOpenAIMode.ServerError;
        (await http.PostAsync("chat/completions", Json(body))).Dispose();
        (await http.PostAsync("chat/completions", Json(body))).Dispose();

        Assert.Equal((3, 1, 2), (llm.RequestCount, llm.RequestCountIn(FakeOpenAIMode.Normal), llm.RequestCountIn(FakeOpenAIMode.ServerError)));
        llm.Clear();
        Assert.Equal((0, 0), (llm.RequestCount, llm.Requests.Count));
    }

    private static HttpClient Client(FakeOpenAI llm)
    {
        var http = new HttpClient { BaseAddress = new Uri(llm.BaseUrl + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", llm.ApiKey);
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").Clone();
}
