using System.Collections.Concurrent;

namespace Twin.LocalHost.Worker;

/// <summary>The connections of the workers this host started, by the worker id it gave each on its command line.</summary>
public sealed class WorkerConnections
{
    private readonly ConcurrentDictionary<string, WorkerConnection> _byId = new(StringComparer.Ordinal);

    public void Add(WorkerConnection connection) => _byId[connection.WorkerId] = connection;

    public void Remove(WorkerConnection connection) => _byId.TryRemove(new KeyValuePair<string, WorkerConnection>(connection.WorkerId, connection));

    public WorkerConnection? Find(string workerId) => _byId.GetValueOrDefault(workerId);
}
