using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Twin.Observability.Security.Outbound;

namespace Twin.Observability.Tests.Security.Outbound;

/// <summary>A DNS server that answers each lookup with the next scripted answer, repeating the last; null answers "no such host".</summary>
internal sealed class ScriptedResolver(params IPAddress[]?[] answers) : IHostAddressResolver
{
    private int _calls;

    public ConcurrentQueue<string> Lookups { get; } = new();

    public static ScriptedResolver Always(params IPAddress[] addresses) => new([addresses]);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        var call = Interlocked.Increment(ref _calls) - 1;
        var answer = answers[Math.Min(call, answers.Length - 1)];
        return answer is null
            ? Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound))
            : Task.FromResult(answer);
    }
}
