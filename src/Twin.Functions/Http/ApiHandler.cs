using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Twin.Observability.Common;
using Twin.Observability.Langfuse;

namespace Twin.Functions.Http;

/// <summary>
/// Runs a function's handler and turns the app's expected failures into problem responses, in one place for every
/// route. Only the exceptions listed here are mapped; anything else is a bug and surfaces as one.
/// </summary>
public sealed partial class ApiHandler(RequestAuthorizer authorizer, ILogger<ApiHandler> logger)
{
    /// <summary>Runs <paramref name="handle"/> for an admin caller only.</summary>
    public async Task<IResult> AdminAsync(HttpRequest request, Func<Task<IResult>> handle)
    {
        // Admin answers are per caller and may hold what must not linger (a share token shown once): never cached.
        ResponseHeaders.NoStore(request.HttpContext.Response);
        return authorizer.RequireAdmin(request) ?? await RunAsync(request, handle).ConfigureAwait(false);
    }

    public async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (RequestValidationException ex)
        {
            return Problems.Validation(ex.Errors);
        }
        catch (RequestBodyException ex)
        {
            return Problems.Status(ex.Status, ex.Title, ex.Message);
        }
        catch (ResourceNotFoundException ex)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found.", ex.Message);
        }
        catch (ResourceConflictException ex)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Conflict.", ex.Message);
        }
        catch (PreconditionFailedException ex)
        {
            return Problems.Status(StatusCodes.Status412PreconditionFailed, "Precondition failed.", ex.Message);
        }
        catch (LangfuseApiException ex)
        {
            LogLangfuseFailed(ex);
            return Problems.Status(StatusCodes.Status502BadGateway, "Langfuse is unavailable.", "Langfuse did not answer as expected; try again shortly.");
        }
        catch (StorageUnavailableException ex)
        {
            // The trace id ties the caller's report to this log line (and to the trace, when the request has one).
            var traceId = ProblemTraceId.Of(request);
            LogStorageUnavailable(ex, traceId);
            TraceHeaders.Write(request.HttpContext.Response, traceId);
            ResponseHeaders.RetryAfter(request.HttpContext.Response, ResponseHeaders.UnavailableRetry);
            return Problems.StorageUnavailable(traceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Langfuse failed while handling a request")]
    private partial void LogLangfuseFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage unavailable while handling a request (trace {TraceId})")]
    private partial void LogStorageUnavailable(Exception exception, string traceId);
}
