using Microsoft.Extensions.Logging;
using Twin.LocalHost.Rpc;

namespace Twin.LocalHost.Worker;

/// <summary>
/// Writes the worker's logs (<c>RpcLog</c>) to the host's logging under the category and level the worker gave them,
/// as the Functions host does: the app's loggers keep their names, so the host's filters and providers see them.
/// </summary>
public sealed class RpcLogForwarder(ILoggerFactory loggers)
{
    private const string DefaultCategory = "Function";

    public void Forward(RpcLog log)
    {
        var level = Level(log.Level);
        if (level == LogLevel.None)
        {
            return;
        }

        var logger = loggers.CreateLogger(string.IsNullOrEmpty(log.Category) ? DefaultCategory : log.Category);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var exception = log.Exception is { } reported ? new WorkerException(reported) : null;
        logger.Log(level, new EventId(0, log.EventId), log.Message, exception, static (message, _) => message);
    }

    private static LogLevel Level(RpcLog.Types.Level level) => level switch
    {
        RpcLog.Types.Level.Trace => LogLevel.Trace,
        RpcLog.Types.Level.Debug => LogLevel.Debug,
        RpcLog.Types.Level.Information => LogLevel.Information,
        RpcLog.Types.Level.Warning => LogLevel.Warning,
        RpcLog.Types.Level.Error => LogLevel.Error,
        RpcLog.Types.Level.Critical => LogLevel.Critical,
        _ => LogLevel.None,
    };
}
