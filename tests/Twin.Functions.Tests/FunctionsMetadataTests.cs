using Twin.LocalHost.Http;
using Xunit;

namespace Twin.Functions.Tests;

/// <summary>What the local host serves is what Azure would serve: both come from functions.metadata.</summary>
public sealed class FunctionsMetadataTests
{
    // Every API.md route implemented so far, with its methods. Grows with each feature.
    public static TheoryData<string, string> ImplementedRoutes => new()
    {
        { "health", "GET" },
        { "openapi.json", "GET" },
        { "chat/{twinId}", "POST" },
        { "chat-widget/{twinId}", "POST" },
        { "chat-widget/{twinId}", "OPTIONS" },
        { "public/chat/{twinId}/{token}", "POST" },
        { "widget/twin-chat.js", "GET" },
        { "manage/twins", "GET" },
        { "manage/twins", "POST" },
        { "manage/twins/{twinId}", "GET" },
        { "manage/twins/{twinId}", "PUT" },
        { "manage/twins/{twinId}", "DELETE" },
        { "manage/twins/{twinId}/share-tokens", "POST" },
        { "manage/twins/{twinId}/share-tokens", "GET" },
        { "manage/twins/{twinId}/share-tokens/{tokenId}", "DELETE" },
        { "manage/playground/prompts", "GET" },
        { "manage/playground/prompts/{name}", "GET" },
        { "metrics/dashboard", "GET" },
        { "metrics/latency", "GET" },
        { "metrics/errors", "GET" },
        { "metrics/quality", "GET" },
        { "metrics/persona", "GET" },
        { "metrics/dataset", "GET" },
        { "metrics/traces/search", "GET" },
        { "manage/costs/summary", "GET" },
        { "manage/costs/models", "GET" },
        { "manage/costs/track", "POST" },
        { "dashboard", "GET" },
        { "dashboard/assets/{name}", "GET" },
        { "dashboard/overview", "GET" },
        { "dashboard/traces/recent", "GET" },
        { "dashboard/alerts/active", "GET" },
        { "dashboard/stream", "GET" },
        { "manage/alerts/rules", "GET" },
        { "manage/alerts/rules", "POST" },
        { "manage/alerts/rules/{ruleId}", "GET" },
        { "manage/alerts/rules/{ruleId}", "PUT" },
        { "manage/alerts/rules/{ruleId}", "DELETE" },
        { "manage/alerts/check", "POST" },
        { "manage/alerts/history", "GET" },
        { "manage/alerts/monitoring", "GET" },
        { "manage/alerts/start-monitoring", "POST" },
        { "manage/alerts/stop-monitoring", "POST" },
        { "manage/monitoring/status", "GET" },
        { "manage/monitoring/run-checks", "POST" },
        { "manage/monitoring/start", "POST" },
        { "manage/monitoring/stop", "POST" },
        { "manage/monitoring/checks", "GET" },
        { "manage/monitoring/checks", "POST" },
        { "manage/monitoring/checks/{checkId}", "DELETE" },
        { "manage/regression/test", "POST" },
        { "manage/regression/test/{testId}", "GET" },
        { "manage/regression/datasets", "GET" },
        { "manage/regression/baseline", "POST" },
        { "manage/regression/baselines/{name}", "GET" },
        { "manage/traces/compare/{id1}/{id2}", "GET" },
        { "manage/traces/compare/batch", "POST" },
        { "manage/datasets/export/formats", "GET" },
        { "manage/datasets/{name}/export", "POST" },
        { "manage/datasets/{name}/stats", "GET" },
        { "manage/datasets/exports/{exportId}", "GET" },
        { "manage/ab-tests", "GET" },
        { "manage/ab-tests", "POST" },
        { "manage/ab-tests/{testId}", "GET" },
        { "manage/ab-tests/{testId}/stop", "POST" },
        { "manage/ab-tests/{testId}/assign", "GET" },
        { "manage/playground/test", "POST" },
        { "manage/playground/compare", "POST" },
        { "chat/{twinId}/feedback", "POST" },
        { "chat-widget/{twinId}/feedback", "POST" },
        { "chat-widget/{twinId}/feedback", "OPTIONS" },
        { "public/chat/{twinId}/{token}/feedback", "POST" },
        { "manage/scores/configs", "GET" },
        { "manage/scores/configs", "POST" },
        { "manage/scores/configs/{name}", "PUT" },
        { "manage/scores/configs/{name}", "DELETE" },
        { "manage/scores", "POST" },
    };

    [Fact]
    public void Dataset_exports_run_from_the_exports_queue()
    {
        var run = Assert.Single(AppMetadata.Functions, f => f.Name == "RunDatasetExport");
        var trigger = Assert.Single(run.Bindings, b => b.Type == "queueTrigger");
        Assert.Equal("exports", trigger.QueueName);
    }

    [Fact]
    public void Alerts_are_evaluated_on_a_timer_whose_schedule_is_an_app_setting()
    {
        var evaluate = Assert.Single(AppMetadata.Functions, f => f.Name == "EvaluateAlerts");
        var trigger = Assert.Single(evaluate.Bindings, b => b.Type == "timerTrigger");
        Assert.Equal("%Alerts:EvaluationSchedule%", trigger.Schedule);
    }

    [Fact]
    public void Synthetic_checks_run_on_a_timer_whose_schedule_is_an_app_setting()
    {
        var run = Assert.Single(AppMetadata.Functions, f => f.Name == "RunSyntheticChecks");
        var trigger = Assert.Single(run.Bindings, b => b.Type == "timerTrigger");
        Assert.Equal("%Monitoring:CheckSchedule%", trigger.Schedule);
    }

    [Fact]
    public void The_metrics_rollup_runs_every_minute_on_a_timer()
    {
        var rollup = Assert.Single(AppMetadata.Functions, f => f.Name == "RollupMetrics");
        var trigger = Assert.Single(rollup.Bindings, b => b.Type == "timerTrigger");
        Assert.Equal("0 * * * * *", trigger.Schedule);
    }

    [Fact]
    public void The_evaluation_function_is_triggered_by_the_evaluations_queue()
    {
        var evaluate = Assert.Single(AppMetadata.Functions, f => f.Name == "EvaluateChat");
        var trigger = Assert.Single(evaluate.Bindings, b => b.Type == "queueTrigger");
        Assert.Equal("evaluations", trigger.QueueName);
    }

    [Theory]
    [MemberData(nameof(ImplementedRoutes))]
    public void Each_implemented_route_is_in_functions_metadata_with_its_method(string route, string method)
    {
        Assert.Contains(AppMetadata.HttpRoutes, r => r.Route == route && r.Method == method);
    }

    [Fact]
    public void No_route_is_one_the_functions_host_would_refuse()
    {
        RouteRules.Validate(AppMetadata.Functions.Where(f => f.Trigger.Type == "httpTrigger"));
        Assert.DoesNotContain(AppMetadata.HttpRoutes, r => r.Route.StartsWith("admin", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_function_declares_explicit_methods()
    {
        Assert.All(
            AppMetadata.Functions.SelectMany(f => f.Bindings).Where(b => b.Type == "httpTrigger"),
            b => Assert.NotEmpty(b.Methods ?? []));
    }
}
