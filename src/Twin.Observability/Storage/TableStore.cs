using System.Net;
using Azure;
using Azure.Data.Tables;
using Twin.Observability.Common;

namespace Twin.Observability.Storage;

/// <summary>
/// Typed access to one table: point reads, ETag-guarded writes, paged queries with opaque continuation tokens.
/// Filters are accepted only as interpolated strings and always pass through <see cref="TableClient.CreateQueryFilter(FormattableString)"/>,
/// so a value can never change the shape of a query. Storage failures become the app's own exceptions, which the HTTP
/// layer maps to 404/409/412/503. A table that has disappeared is created again and the call retried once
/// (<see cref="MissingResourceRetry"/>).
/// </summary>
public sealed class TableStore<TEntity>(TableClient table) where TEntity : class, ITableEntity, new()
{
    private const int MaxPageSize = 1000;

    public string TableName => table.Name;

    public async Task<TEntity?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        var response = await Call(() => table.GetEntityIfExistsAsync<TEntity>(partitionKey, rowKey, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts a new entity; <see cref="ResourceConflictException"/> when one with the same keys exists.</summary>
    public async Task<TEntity> AddAsync(TEntity entity, CancellationToken cancellationToken)
    {
        ValidateKeys(entity);
        try
        {
            var response = await Call(() => table.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
            return entity;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            throw new ResourceConflictException($"'{entity.RowKey}' already exists.");
        }
    }

    /// <summary>
    /// Replaces an entity only if its stored ETag still equals <paramref name="ifMatch"/> (<see cref="ETag.All"/> for
    /// unconditional). <see cref="PreconditionFailedException"/> when another writer got there first,
    /// <see cref="ResourceNotFoundException"/> when it is gone.
    /// </summary>
    public async Task<TEntity> ReplaceAsync(TEntity entity, ETag ifMatch, CancellationToken cancellationToken)
    {
        ValidateKeys(entity);
        try
        {
            var response = await Call(() => table.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
            entity.ETag = response.Headers.ETag ?? default;
            return entity;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            throw new PreconditionFailedException($"'{entity.RowKey}' was changed by another writer; read it again and retry.");
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            throw new ResourceNotFoundException(table.Name, entity.RowKey);
        }
    }

    public async Task<TEntity> UpsertAsync(TEntity entity, CancellationToken cancellationToken)
    {
        ValidateKeys(entity);
        var response = await Call(() => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken).ConfigureAwait(false);
        entity.ETag = response.Headers.ETag ?? default;
        return entity;
    }

    /// <summary>
    /// Upserts (replace) many entities with as few calls as the service allows: one entity-group transaction per
    /// partition and hundred entities, each all-or-nothing.
    /// </summary>
    public async Task UpsertManyAsync(IEnumerable<TEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        foreach (var partition in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                foreach (var entity in chunk)
                {
                    ValidateKeys(entity);
                }

                var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList();
                await Call(() => table.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes if the ETag matches; returns false when there was nothing to delete.</summary>
    public async Task<bool> DeleteAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        try
        {
            var response = await Call(() => table.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken), cancellationToken).ConfigureAwait(false);
            return response.Status != (int)HttpStatusCode.NotFound;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            throw new PreconditionFailedException($"'{rowKey}' was changed by another writer; read it again and retry.");
        }
    }

    /// <summary>
    /// One page of entities matching <paramref name="filter"/>. The filter's interpolated values are escaped by
    /// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>. A page may hold fewer items than asked even when
    /// more follow (the service stops at partition boundaries and time limits); the token says whether to go on.
    /// </summary>
    public Task<ResultPage<TEntity>> QueryPageAsync(FormattableString? filter, PageRequest page, CancellationToken cancellationToken) =>
        QueryPageCoreAsync(Filter(filter), page, cancellationToken);

    // Only ever given filters built by TableClient.CreateQueryFilter.
    private async Task<ResultPage<TEntity>> QueryPageCoreAsync(string? query, PageRequest page, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(page.Limit, 1, MaxPageSize);
        var scope = ContinuationTokens.Scope(table.Name, query);
        var storageToken = ContinuationTokens.Decode(page.ContinuationToken, scope);
        async Task<ResultPage<TEntity>> FirstPageAsync()
        {
            var pages = table.QueryAsync<TEntity>(query, pageSize, cancellationToken: cancellationToken).AsPages(storageToken, pageSize);
            await foreach (var result in pages.ConfigureAwait(false))
            {
                return new ResultPage<TEntity>(result.Values, ContinuationTokens.Encode(result.ContinuationToken, scope));
            }

            return new ResultPage<TEntity>([], null);
        }

        try
        {
            return await MissingResourceRetry.RunAsync(FirstPageAsync, CreateTableAsync, table.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.BadRequest && storageToken is not null)
        {
            throw new RequestValidationException("continuationToken", "is not a token this API issued.");
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>
    /// One page of entities matching every one of <paramref name="clauses"/> (joined with <c>and</c>), for filters
    /// assembled from optional parts; each clause is escaped on its own like any other filter.
    /// </summary>
    public Task<ResultPage<TEntity>> QueryPageWhereAllAsync(IReadOnlyList<FormattableString> clauses, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var filter = string.Join(" and ", clauses.Select(c => "(" + TableClient.CreateQueryFilter(c) + ")"));
        return QueryPageCoreAsync(filter.Length == 0 ? null : filter, page, cancellationToken);
    }

    /// <summary>Every entity matching <paramref name="filter"/>, fetched page by page as it is enumerated.</summary>
    public IAsyncEnumerable<TEntity> QueryAllAsync(FormattableString? filter, CancellationToken cancellationToken) =>
        QueryAllCoreAsync(filter, null, cancellationToken);

    /// <summary>The keys alone of every entity matching <paramref name="filter"/>: counting reads no properties.</summary>
    public IAsyncEnumerable<TEntity> QueryKeysAsync(FormattableString? filter, CancellationToken cancellationToken) =>
        QueryAllCoreAsync(filter, KeyColumns, cancellationToken);

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private async IAsyncEnumerable<TEntity> QueryAllCoreAsync(
        FormattableString? filter,
        IEnumerable<string>? select,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerator<TEntity>? enumerator = null;
        try
        {
            // The first page is where a missing table shows; it is fetched again (from a new enumerator) once recreated.
            async Task<bool> FirstAsync()
            {
                if (enumerator is not null)
                {
                    await enumerator.DisposeAsync().ConfigureAwait(false);
                }

                enumerator = table.QueryAsync<TEntity>(Filter(filter), MaxPageSize, select, cancellationToken).GetAsyncEnumerator(cancellationToken);
                return await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            bool moved;
            try
            {
                moved = await MissingResourceRetry.RunAsync(FirstAsync, CreateTableAsync, table.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
            {
                throw Unavailable(ex);
            }

            while (moved)
            {
                yield return enumerator!.Current;
                try
                {
                    moved = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
                {
                    throw Unavailable(ex);
                }
            }
        }
        finally
        {
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string? Filter(FormattableString? filter) => filter is null ? null : TableClient.CreateQueryFilter(filter);

    private static void ValidateKeys(TEntity entity)
    {
        TableKeys.Validate(entity.PartitionKey, "partitionKey");
        TableKeys.Validate(entity.RowKey, "rowKey");
    }

    private async Task<T> Call<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await MissingResourceRetry.RunAsync(operation, CreateTableAsync, table.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageFailures.IsOutage(ex, cancellationToken))
        {
            throw Unavailable(ex);
        }
    }

    private Task CreateTableAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    private StorageUnavailableException Unavailable(Exception ex) => new($"Table '{table.Name}' is unavailable.", ex);
}
