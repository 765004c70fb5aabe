using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Twin.Observability.Ledger;
using Twin.Testing;
using Xunit;
using static Twin.Functions.Tests.EndToEnd.ChatClient;

namespace Twin.Functions.Tests.Dashboard;

/// <summary>Chats for the dashboard tests: a twin of their own, chats through the real chat route, scores on their rows.</summary>
internal static class DashboardChats
{
    public static async Task<string> CreateTwinAsync(HttpClient admin)
    {
        var twinId = "d-" + Guid.NewGuid().ToString("N")[..10];
        var response = await admin.PostAsJsonAsync("/api/manage/twins", new { id = twinId, name = "Dasha", persona = "You are Dasha.", knowledge = new[] { "Dasha traces every chat with Langfuse." } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return twinId;
    }

    /// <summary>Chats <paramref name="count"/> times, one after the other; the trace ids in the order sent.</summary>
    public static async Task<IReadOnlyList<string>> ChatAsync(HttpClient user, string twinId, int count)
    {
        var traceIds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await user.SendAsync(Message($"/api/chat/{twinId}", new { message = $"Which tool do you use for tracing? ({i})" }));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            traceIds.Add(TraceIdHeader(response));
        }

        return traceIds;
    }

    /// <summary>A chat the app refuses (an empty message: 400 validation); it still leaves a ledger row.</summary>
    public static async Task RefusedChatAsync(HttpClient user, string twinId)
    {
        var response = await user.SendAsync(Message($"/api/chat/{twinId}", new { message = "" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public static async Task<IReadOnlyList<LedgerEntry>> LedgerRowsAsync(LocalHostServer server, string twinId, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = new List<LedgerEntry>();
        await foreach (var entity in server.Services.GetRequiredService<LedgerStore>().RowsBetweenAsync(from, to, twinId, default))
        {
            rows.Add(LedgerRows.ToEntry(entity));
        }

        return rows;
    }

    /// <summary>Puts scores on a chat's ledger row as the evaluation does (the tests' apps do not run the judges).</summary>
    public static async Task ScoreAsync(LocalHostServer server, LedgerEntry row, IReadOnlyDictionary<string, double> scores)
    {
        var recorded = await server.Services.GetRequiredService<LedgerStore>()
            .RecordScoresAsync(row.TraceId, row.ObservationId, row.Timestamp, scores, "heuristic", new Dictionary<string, string>(), default);
        Assert.True(recorded, $"no ledger row for {row.TraceId}");
    }

    /// <summary>A ledger row as the chat path writes one, at a time the test chooses (earlier periods, older hours).</summary>
    public static LedgerEntry LedgerRow(string twinId, DateTimeOffset at, long latencyMs, decimal? cost, string status = "ok") => new()
    {
        TraceId = Guid.NewGuid().ToString("N"),
        ObservationId = Guid.NewGuid().ToString("N")[..16],
        TwinId = twinId,
        Endpoint = "chat",
        Environment = "test",
        Timestamp = at,
        LatencyMs = latencyMs,
        Model = status == "ok" ? "gpt-4o-mini" : null,
        InputTokens = status == "ok" ? 30 : 0,
        OutputTokens = status == "ok" ? 40 : 0,
        CostUsd = status == "ok" ? cost : null,
        Status = status,
        HttpStatus = status == "ok" ? 200 : 502,
        ErrorType = status == "ok" ? null : "llm_error",
    };
}
