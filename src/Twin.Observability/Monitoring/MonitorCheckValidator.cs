using Twin.Observability.Common;
using Twin.Observability.Security.Outbound;
using Twin.Observability.Storage;

namespace Twin.Observability.Monitoring;

/// <summary>
/// Checks a check request and fills its defaults, reporting every invalid field at once (400 with <c>errors</c>).
/// A check is a twin check (<c>twinId</c>) or a URL check (<c>url</c>), never both: the twin-only fields
/// (<c>message</c>, <c>minScore</c>) are refused on a URL check rather than silently ignored. URLs go through the
/// outbound policy (https, no private addresses) when saved; the runner's guarded client checks the address again
/// when it connects.
/// </summary>
public sealed class MonitorCheckValidator(OutboundUrlPolicy urls)
{
    public const string DefaultMessage = "Hello! This is a synthetic check: please introduce yourself in one sentence.";
    public const int MaxNameLength = 100;
    public const int MaxTwinIdLength = 64;
    public const int MaxMessageLength = 2_000;
    public const int MaxExpectContainsLength = 500;
    public const int DefaultExpectStatus = 200;
    public const int DefaultMaxLatencyMs = 10_000;
    public const int MaxMaxLatencyMs = 120_000;
    public const int DefaultIntervalMinutes = 5;
    public const int MaxIntervalMinutes = 1_440;

    public async Task<MonitorCheck> ValidateAsync(string id, MonitorCheckRequest? request, MonitorCheck? existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "must be a JSON object.");
            errors.ThrowIfAny();
        }

        var check = request!;
        var name = check.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors.Add("name", $"is required, at most {MaxNameLength} characters.");
        }

        var twinId = string.IsNullOrWhiteSpace(check.TwinId) ? null : check.TwinId.Trim();
        var url = string.IsNullOrWhiteSpace(check.Url) ? null : check.Url.Trim();
        string? kind = null;
        if ((twinId is null) == (url is null))
        {
            errors.Add("twinId", "give exactly one of twinId (a twin check) or url (a URL check).");
        }
        else if (twinId is not null)
        {
            kind = MonitorCheck.TwinKind;
            if (twinId.Length > MaxTwinIdLength || !TableKeys.IsValid(twinId))
            {
                errors.Add("twinId", "is not a valid twin id.");
            }
        }
        else
        {
            kind = MonitorCheck.UrlKind;
            await urls.ValidateAsync(url, "url", errors, cancellationToken).ConfigureAwait(false);
        }

        // An empty message is treated as absent, so a form that sends "" gets the default rather than an error.
        var message = string.IsNullOrWhiteSpace(check.Message) ? null : check.Message;
        if (kind == MonitorCheck.TwinKind)
        {
            message ??= DefaultMessage;
            if (message.Length > MaxMessageLength)
            {
                errors.Add("message", $"must be at most {MaxMessageLength} characters.");
            }
        }
        else if (kind == MonitorCheck.UrlKind && message is not null)
        {
            errors.Add("message", "applies only to twin checks: a URL check sends a plain GET.");
        }

        var expectStatus = check.ExpectStatus ?? DefaultExpectStatus;
        if (expectStatus is < 100 or > 599)
        {
            errors.Add("expectStatus", "must be an HTTP status code between 100 and 599.");
        }

        // Not trimmed: leading or trailing spaces may be part of what the body has to contain.
        var expectContains = string.IsNullOrEmpty(check.ExpectContains) ? null : check.ExpectContains;
        if (expectContains is { Length: > MaxExpectContainsLength })
        {
            errors.Add("expectContains", $"must be at most {MaxExpectContainsLength} characters.");
        }

        var maxLatency = check.MaxLatencyMs ?? DefaultMaxLatencyMs;
        if (maxLatency is < 1 or > MaxMaxLatencyMs)
        {
            errors.Add("maxLatencyMs", $"must be between 1 and {MaxMaxLatencyMs}.");
        }

        if (check.MinScore is { } minScore)
        {
            if (kind == MonitorCheck.UrlKind)
            {
                errors.Add("minScore", "applies only to twin checks: only a twin's reply is judged.");
            }
            else if (!double.IsFinite(minScore) || minScore is < 0 or > 1)
            {
                errors.Add("minScore", "must be between 0 and 1.");
            }
        }

        var interval = check.IntervalMinutes ?? DefaultIntervalMinutes;
        if (interval is < 1 or > MaxIntervalMinutes)
        {
            errors.Add("intervalMinutes", $"must be between 1 and {MaxIntervalMinutes}.");
        }

        errors.ThrowIfAny();
        return new MonitorCheck
        {
            Id = id,
            Name = name!,
            Kind = kind!,
            TwinId = twinId,
            Url = url,
            Message = message,
            ExpectStatus = expectStatus,
            ExpectContains = expectContains,
            MaxLatencyMs = maxLatency,
            MinScore = check.MinScore,
            IntervalMinutes = interval,
            Enabled = check.Enabled ?? true,
            CreatedAt = existing?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }
}
