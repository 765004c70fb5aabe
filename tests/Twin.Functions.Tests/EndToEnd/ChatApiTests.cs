using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Chat;
using Twin.Observability.Ledger;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.EndToEnd;

[Collection(TwinAppCollection.Name)]
public sealed class ChatApiTests(TwinAppFixture app)
{
    private const string ChatDemo = "/api/chat/demo";

    [Fact]
    public async Task A_signed_in_user_gets_an_offline_answer_from_the_twins_knowledge_with_a_trace_id()
    {
        var response = await app.User.SendAsync(Message(ChatDemo, new { message = "Which tool do you like for tracing LLM applications?" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        var traceId = body.GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(traceId, TraceIdHeader(response));
        Assert.Contains("Langfuse", body.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Equal("twin-offline", body.GetProperty("model").GetString());
        Assert.Equal(0m, body.GetProperty("costUsd").GetDecimal());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("inputTokens").GetInt64() > 0);
        Assert.Equal(usage.GetProperty("inputTokens").GetInt64() + usage.GetProperty("outputTokens").GetInt64(), usage.GetProperty("totalTokens").GetInt64());

        var row = await LedgerRowAsync(traceId);
        Assert.Equal(("chat", "ok", 200, TestKeys.UserId, "twin-offline"), (row.Endpoint, row.Status, row.HttpStatus, row.UserId, row.Model));
        Assert.Equal(usage.GetProperty("inputTokens").GetInt64(), row.InputTokens);
    }

    [Fact]
    public async Task The_callers_traceparent_becomes_the_trace_id()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        var response = await app.User.SendAsync(Message(ChatDemo, new { message = "hello" }, ("traceparent", $"00-{traceId}-00f067aa0ba902b7-01")));

        Assert.Equal(traceId, TraceIdHeader(response));
        Assert.Equal(traceId, (await JsonAsync(response)).GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData("0AF7651916CD43DD8448EB211C80319C", "0af7651916cd43dd8448eb211c80319c")]
    [InlineData("6f9619ff-8b86-d011-b42d-00cf4fc964ff", "6f9619ff8b86d011b42d00cf4fc964ff")]
    public async Task An_x_trace_id_header_is_normalised_and_continued(string header, string expected)
    {
        var response = await app.User.SendAsync(Message(ChatDemo, new { message = "hello" }, ("X-Trace-Id", header)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, TraceIdHeader(response));
    }

    [Theory]
    [InlineData("traceparent", "garbage")]
    [InlineData("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01")]
    [InlineData("X-Trace-Id", "not-a-trace-id")]
    [InlineData("X-Trace-Id", "00000000000000000000000000000000")]
    public async Task An_invalid_trace_header_starts_a_new_trace_and_never_fails(string header, string value)
    {
        var response = await app.User.SendAsync(Message(ChatDemo, new { message = "hello" }, (header, value)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = TraceIdHeader(response);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.DoesNotContain(traceId, value, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_conversation_keeps_its_turns_across_messages()
    {
        var first = await JsonAsync(await app.User.SendAsync(Message(ChatDemo, new { message = "What do you do outside work?" })));
        var conversationId = first.GetProperty("conversationId").GetString()!;

        var second = await JsonAsync(await app.User.SendAsync(Message(ChatDemo, new { message = "And what do you bake?", conversationId })));

        Assert.Equal(conversationId, second.GetProperty("conversationId").GetString());
        var store = app.Server.Services.GetRequiredService<ConversationStore>();
        var turns = await store.LastTurnsAsync("demo", new ChatCaller(ChatChannel.User, TestKeys.UserId), conversationId, 10, default);
        Assert.Equal(["user", "assistant", "user", "assistant"], turns.Select(t => t.Role));
        Assert.Equal("What do you do outside work?", turns[0].Content);
        Assert.Equal(second.GetProperty("reply").GetString(), turns[3].Content);
    }

    [Fact]
    public async Task Another_user_cannot_read_a_conversation_by_its_id()
    {
        var first = await JsonAsync(await app.User.SendAsync(Message(ChatDemo, new { message = "What do you do outside work?" })));
        var conversationId = first.GetProperty("conversationId").GetString()!;

        var store = app.Server.Services.GetRequiredService<ConversationStore>();
        var stranger = await store.LastTurnsAsync("demo", new ChatCaller(ChatChannel.User, "someone-else"), conversationId, 10, default);

        Assert.Empty(stranger);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(TestKeys.Admin, HttpStatusCode.Forbidden, "forbidden")]
    public async Task Callers_who_are_not_signed_in_users_are_refused_with_a_traced_problem(string? key, HttpStatusCode status, string errorType)
    {
        using var request = Message(ChatDemo, new { message = "hello" });
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var response = await app.Anonymous.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, status);
        Assert.Equal(errorType, problem.GetProperty("errorType").GetString());
        var traceId = problem.GetProperty("traceId").GetString()!;
        Assert.Equal(traceId, TraceIdHeader(response));
        var row = await LedgerRowAsync(traceId);
        Assert.Equal(("error", errorType, (int)status), (row.Status, row.ErrorType, row.HttpStatus));
    }

    [Fact]
    public async Task An_invalid_bearer_token_is_401()
    {
        using var request = Message(ChatDemo, new { message = "hello" }, ("Authorization", "Bearer not.a.jwt"));

        await ProblemAssert.IsProblemAsync(await app.Anonymous.SendAsync(request), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{\"message\":\"\"}", "message")]
    [InlineData("{\"message\":\"hi\",\"conversationId\":\"bad id!\"}", "conversationId")]
    [InlineData("{\"message\":42}", "message")]
    [InlineData("{\"message\":\"hi\",\"metadata\":{\"bad key!\":1}}", "metadata.bad key!")]
    [InlineData("{\"message\":", "body")]
    public async Task Invalid_bodies_are_400_naming_the_field(string body, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatDemo) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var problem = await ProblemAssert.IsProblemAsync(await app.User.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Contains(field, ProblemAssert.ErrorFields(problem));
        Assert.Equal("validation", problem.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Metadata_values_each_within_their_limit_but_too_big_together_are_400()
    {
        // It rides on every span of the chat, so its total is bounded, not only each value.
        var value = new string('x', 1_500);

        var response = await app.User.SendAsync(Message(ChatDemo, new { message = "hi", metadata = new { a = value, b = value, c = value } }));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("metadata", ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task A_message_over_the_limit_is_400_and_a_body_over_the_limit_is_413()
    {
        var tooLong = await app.User.SendAsync(Message(ChatDemo, new { message = new string('a', 4_001) }));
        var tooBig = await app.User.SendAsync(Message(ChatDemo, new { message = "hi", metadata = new { padding = new string('p', 40_000) } }));

        await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(tooBig, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_twin_is_a_traced_404()
    {
        var response = await app.User.SendAsync(Message("/api/chat/no-such-twin", new { message = "hello" }));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("unknown_twin", problem.GetProperty("errorType").GetString());
        Assert.Equal("unknown_twin", (await LedgerRowAsync(TraceIdHeader(response))).ErrorType);
    }

    [Fact]
    public async Task The_widget_script_is_served_as_javascript()
    {
        var response = await app.Anonymous.GetAsync("/api/widget/twin-chat.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("TwinChat", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<LedgerEntry> LedgerRowAsync(string traceId) =>
        await app.Server.Services.GetRequiredService<LedgerStore>().FindAsync(traceId, DateTimeOffset.UtcNow, default)
        ?? throw new Xunit.Sdk.XunitException($"No ledger row for trace {traceId}.");
}

[Collection(TwinAppCollection.Name)]
public sealed class ChatBearerTests(TwinAppFixture app)
{
    [Fact]
    public async Task A_valid_bearer_token_signs_the_user_in_with_the_id_from_its_subject()
    {
        var response = await app.Anonymous.SendAsync(Message("/api/chat/demo", new { message = "hello", userId = "spoofed" }, ("Authorization", "Bearer " + TestJwt.Create("user-from-jwt"))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await app.Server.Services.GetRequiredService<LedgerStore>().FindAsync(TraceIdHeader(response), DateTimeOffset.UtcNow, default);
        Assert.Equal("user-from-jwt", row?.UserId);
    }

    public static TheoryData<string> SubjectsTableKeysRefuse => new()
    {
        "tenant/user\\x#y?z",
        new string('s', 1_500),
    };

    [Theory]
    [MemberData(nameof(SubjectsTableKeysRefuse))]
    public async Task A_subject_that_is_no_valid_table_key_chats_and_keeps_its_conversation(string subject)
    {
        var bearer = ("Authorization", "Bearer " + TestJwt.Create(subject));

        var first = await app.Anonymous.SendAsync(Message("/api/chat/demo", new { message = "What do you do outside work?" }, bearer));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var conversationId = (await JsonAsync(first)).GetProperty("conversationId").GetString()!;
        var second = await app.Anonymous.SendAsync(Message("/api/chat/demo", new { message = "And what do you bake?", conversationId }, bearer));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var turns = await app.Server.Services.GetRequiredService<ConversationStore>().LastTurnsAsync("demo", new ChatCaller(ChatChannel.User, subject), conversationId, 10, default);
        Assert.Equal(["user", "assistant", "user", "assistant"], turns.Select(t => t.Role));
        var row = await app.Server.Services.GetRequiredService<LedgerStore>().FindAsync(TraceIdHeader(second), DateTimeOffset.UtcNow, default);
        Assert.Equal(subject, row?.UserId);
    }

    public static TheoryData<string> BadTokens => new()
    {
        TestJwt.Create("u", expires: DateTime.UtcNow.AddMinutes(-10)),
        TestJwt.Create("u", issuer: "https://other-issuer.test"),
        TestJwt.Create("u", audience: "other-api"),
        TestJwt.Create("u", signingKey: Convert.ToBase64String("a-completely-different-signing-key-32b!!"u8.ToArray())),
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Expired_foreign_or_forged_tokens_are_401(string token)
    {
        var response = await app.Anonymous.SendAsync(Message("/api/chat/demo", new { message = "hello" }, ("Authorization", "Bearer " + token)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
