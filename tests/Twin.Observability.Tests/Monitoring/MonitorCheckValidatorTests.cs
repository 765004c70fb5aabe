using Twin.Observability.Common;
using Twin.Observability.Monitoring;
using Xunit;
using static Twin.Observability.Tests.Monitoring.MonitorTestSupport;

namespace Twin.Observability.Tests.Monitoring;

public sealed class MonitorCheckValidatorTests
{
    private readonly MonitorCheckValidator _validator = new(Policy());

    private async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(MonitorCheckRequest? request, MonitorCheckValidator? validator = null)
    {
        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => (validator ?? _validator).ValidateAsync("c1", request, null, T0, default));
        return ex.Errors;
    }

    [Fact]
    public async Task Twin_check_gets_every_default()
    {
        var check = await _validator.ValidateAsync("c1", new MonitorCheckRequest { Name = "  Greeting ", TwinId = " ada " }, null, T0, default);

        Assert.Equal(new MonitorCheck
        {
            Id = "c1",
            Name = "Greeting",
            Kind = MonitorCheck.TwinKind,
            TwinId = "ada",
            Message = MonitorCheckValidator.DefaultMessage,
            ExpectStatus = 200,
            MaxLatencyMs = 10_000,
            IntervalMinutes = 5,
            Enabled = true,
            CreatedAt = T0,
            UpdatedAt = T0,
        }, check);
        Assert.Equal("Hello! This is a synthetic check: please introduce yourself in one sentence.", check.Message);
    }

    [Fact]
    public async Task Url_check_keeps_its_values_and_has_no_message()
    {
        var request = new MonitorCheckRequest
        {
            Name = "Status page",
            Url = "https://status.example.org/health",
            ExpectStatus = 204,
            ExpectContains = " ok ",
            MaxLatencyMs = 120_000,
            IntervalMinutes = 1_440,
            Enabled = false,
        };

        var check = await _validator.ValidateAsync("c2", request, null, T0, default);

        Assert.Equal(MonitorCheck.UrlKind, check.Kind);
        Assert.Equal("https://status.example.org/health", check.Url);
        Assert.Null(check.TwinId);
        Assert.Null(check.Message);
        Assert.Null(check.MinScore);
        Assert.Equal(204, check.ExpectStatus);
        Assert.Equal(" ok ", check.ExpectContains);
        Assert.Equal(120_000, check.MaxLatencyMs);
        Assert.Equal(1_440, check.IntervalMinutes);
        Assert.False(check.Enabled);
    }

    [Fact]
    public async Task An_update_keeps_the_creation_time()
    {
        var existing = Check() with { CreatedAt = T0.AddDays(-3) };

        var check = await _validator.ValidateAsync(existing.Id, new MonitorCheckRequest { Name = "Renamed", TwinId = "ada", MinScore = 0.7, Message = "Hi" }, existing, T0, default);

        Assert.Equal(T0.AddDays(-3), check.CreatedAt);
        Assert.Equal(T0, check.UpdatedAt);
        Assert.Equal(0.7, check.MinScore);
        Assert.Equal("Hi", check.Message);
    }

    [Fact]
    public async Task Reports_every_bad_field_at_once()
    {
        var errors = await ErrorsAsync(new MonitorCheckRequest
        {
            Name = new string('n', 101),
            TwinId = "ada",
            Url = "https://example.com/",
            ExpectStatus = 99,
            ExpectContains = new string('x', 501),
            MaxLatencyMs = 0,
            MinScore = 1.5,
            IntervalMinutes = 0,
        });

        Assert.Equal(
            new[] { "expectContains", "expectStatus", "intervalMinutes", "maxLatencyMs", "minScore", "name", "twinId" },
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reports_every_bad_twin_field_at_once()
    {
        var errors = await ErrorsAsync(new MonitorCheckRequest
        {
            TwinId = "a/b",
            Message = new string('m', 2_001),
            ExpectStatus = 600,
            MaxLatencyMs = 120_001,
            MinScore = -0.1,
            IntervalMinutes = 1_441,
        });

        Assert.Equal(
            new[] { "expectStatus", "intervalMinutes", "maxLatencyMs", "message", "minScore", "name", "twinId" },
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_twin_id_longer_than_64_is_refused()
    {
        var errors = await ErrorsAsync(new MonitorCheckRequest { Name = "n", TwinId = new string('t', 65) });

        Assert.Equal(["twinId"], errors.Keys);
    }

    [Fact]
    public async Task Neither_twin_nor_url_is_an_error_naming_twinId()
    {
        var errors = await ErrorsAsync(new MonitorCheckRequest { Name = "n", TwinId = " ", Url = "" });

        Assert.Equal(["twinId"], errors.Keys);
    }

    [Fact]
    public async Task A_missing_body_is_an_error()
    {
        var errors = await ErrorsAsync(null);

        Assert.Equal(["body"], errors.Keys);
    }

    [Fact]
    public async Task Url_checks_refuse_the_twin_only_fields()
    {
        var errors = await ErrorsAsync(new MonitorCheckRequest { Name = "n", Url = "https://example.com/", Message = "Hi", MinScore = 0.5 });

        Assert.Equal(new[] { "message", "minScore" }, errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("http://example.com/health")]
    [InlineData("https://10.0.0.1/health")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://localhost/health")]
    [InlineData("https://intranet.example.org/health")]
    [InlineData("https://no-such-host.example/")]
    [InlineData("ftp://example.com/")]
    [InlineData("https://user:secret@example.com/")]
    public async Task Url_checks_refuse_plain_http_private_and_unresolvable_addresses(string url)
    {
        var errors = await ErrorsAsync(new MonitorCheckRequest { Name = "n", Url = url });

        Assert.Equal(["url"], errors.Keys);
    }

    [Fact]
    public async Task An_allowed_host_may_be_private_and_plain_http()
    {
        var validator = new MonitorCheckValidator(Policy("localhost"));

        var check = await validator.ValidateAsync("c1", new MonitorCheckRequest { Name = "Local", Url = "http://localhost:7071/api/health" }, null, T0, default);

        Assert.Equal(MonitorCheck.UrlKind, check.Kind);
    }
}
