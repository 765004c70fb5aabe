using System.Net.Http.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Twin.Functions.Tests.EndToEnd;
using Twin.Observability.Evaluation;
using Twin.Observability.Ledger;
using Twin.Observability.Storage;
using Twin.Testing;
using Xunit;

namespace Twin.Functions.Tests.Evaluation;

/// <summary>
/// The evaluation tests: each app gets a storage account of its own (its own <c>evaluations</c> queue), and their
/// classes run one at a time in this collection because each test runs a judging app.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EvaluationCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Evaluation";
}

/// <summary>Starting an app that judges its chats, and watching the queues, ledger and stores it writes.</summary>
public static class EvaluationApp
{
    // A deadline, not a delay: two deliveries of three judges with LLM retries take seconds, much longer on a loaded CI machine.
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Settings that turn evaluation on in a storage account nobody else uses (so no message of another test is judged
    /// by this app) and make retries fast: poll every 200 ms, retry after 1 s, poison after 2 tries.
    /// </summary>
    public static (string Key, string? Value)[] Settings(params (string Key, string? Value)[] more) =>
    [
        ("AzureWebJobsStorage", AzuriteFixture.NewAccountConnectionString()),
        ("Chat:Evaluate", "true"),
        ("AzureWebJobs.EvaluateChat.Disabled", "false"),
        ("AzureFunctionsJobHost:extensions:queues:maxPollingInterval", "200"),
        ("AzureFunctionsJobHost:extensions:queues:visibilityTimeout", "00:00:01"),
        ("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", "2"),
        .. more,
    ];

    /// <summary>A queue of the app's own storage account.</summary>
    public static QueueClient Queue(LocalHostServer server, string name) =>
        server.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(name);

    /// <summary>The messages in the app's <c>evaluations-poison</c> queue (none when the host never made it).</summary>
    public static async Task<IReadOnlyList<string>> PoisonMessagesAsync(LocalHostServer server)
    {
        var poison = Queue(server, StorageNames.Queues.Evaluations + "-poison");
        return await poison.ExistsAsync()
            ? (await poison.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList()
            : [];
    }

/// <summary>Creates a twin of its own for a test, so its dataset holds only that test's items.</summary>
    public static async Task<string> CreateTwinAsync(HttpClient admin, string[] knowledge, object? personaRules = null)
    {
        var id = "eval-" + Guid.NewGuid().ToString("N")[..10];
        var response = await admin.PostAsJsonAsync("/api/manage/twins", new { id, name = "Eva", persona = "You are Eva, an engineer. Speak in the first person.", knowledge, allowedOrigins = Array.Empty<string>(), personaRules });
        response.EnsureSuccessStatusCode();
        return id;
    }

    public static async Task<(string TraceId, string Reply, DateTimeOffset At)> ChatAsync(HttpClient user, string twinId, string message)
    {
        var response = await user.SendAsync(ChatClient.Message($"/api/chat/{twinId}", new { message }));
        response.EnsureSuccessStatusCode();
        var body = await ChatClient.JsonAsync(response);
        return (ChatClient.TraceIdHeader(response), body.GetProperty("reply").GetString()!, DateTimeOffset.UtcNow);
    }

    /// <summary>The chat's ledger row once the judges have scored it (all three, or with judge errors).</summary>
    public static async Task<LedgerEntry> ScoredRowAsync(LocalHostServer server, string traceId, DateTimeOffset near)
    {
        var ledger = server.Services.GetRequiredService<LedgerStore>();
        LedgerEntry? row = null;
        await Eventually.TrueAsync(
            async () => (row = await ledger.FindAsync(traceId, near, default)) is { ScoreMethod: not null },
            Wait,
            $"ledger row of {traceId} scored");
        return row!;
    }

    /// <summary>Waits until the evaluations queue holds nothing, not even a message being processed.</summary>
    public static Task QueueDrainedAsync(LocalHostServer server) =>
        Eventually.TrueAsync(async () => (await Queue(server, StorageNames.Queues.Evaluations).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Wait, "evaluations queue drained");

    /// <summary>The evaluation of the chat on <paramref name="row"/>, as the chat itself queues it.</summary>
    public static EvaluationRequest RequestOf(LedgerEntry row, string message, string reply, params string[] knowledge) => new()
    {
        TraceId = row.TraceId,
        ObservationId = row.ObservationId,
        TwinId = row.TwinId,
        Endpoint = row.Endpoint,
        Environment = row.Environment,
        LedgerTimestamp = row.Timestamp,
        Message = message,
        Reply = reply,
        Knowledge = knowledge,
        Model = row.Model,
        PromptName = row.PromptName,
        PromptVersion = row.PromptVersion,
    };

    /// <summary>Sends the evaluation of a chat (its ledger row, message, reply and knowledge) again, as the queue would redeliver it.</summary>
    public static Task RedeliverAsync(LocalHostServer server, LedgerEntry row, string message, string reply, string knowledge) =>
        server.Services.GetRequiredService<IEvaluationDispatcher>().EnqueueAsync(RequestOf(row, message, reply, knowledge), default);
}
