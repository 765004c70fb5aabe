using Microsoft.Extensions.Options;
using Twin.Observability.Common;
using Twin.Observability.Datasets.Export;
using Xunit;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class ExportPlannerTests
{
    private readonly ExportPlanner _planner = new(Options.Create(new ExportOptions { MaxItems = 1000 }));

    [Fact]
    public void A_request_becomes_a_plan_with_defaults()
    {
        var plan = _planner.Plan("twin-ada", new DatasetExportRequest { Format = "OpenAI-Chat-JSONL" });

        Assert.Equal(("twin-ada", "openai-chat-jsonl", 0.0, 0, true, 1000), (plan.Dataset, plan.Format, plan.ValidationSplit, plan.Seed, plan.IncludeSystemPrompt, plan.MaxItems));
        Assert.Empty(plan.MinScore);
    }

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        var error = Assert.Throws<RequestValidationException>(() => _planner.Plan("../etc", new DatasetExportRequest
        {
            Format = "parquet",
            ValidationSplit = 0.6,
            SystemPrompt = "maybe",
            MaxItems = 0,
            MinScore = new() { ["relevance"] = double.NaN },
        }));

        Assert.Equal(["format", "maxItems", "minScore", "name", "systemPrompt", "validationSplit"], error.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData(" padded")]
    [InlineData("tab\there")]
    public void A_name_with_path_characters_is_refused(string name) =>
        Assert.Contains("name", Assert.Throws<RequestValidationException>(() => _planner.Plan(name, new DatasetExportRequest { Format = "csv" })).Errors.Keys);

    [Fact]
    public void A_pair_score_is_refused_for_a_supervised_format_and_accepted_for_dpo()
    {
        Assert.Contains("pairScore", Assert.Throws<RequestValidationException>(() => _planner.Plan("ds", new DatasetExportRequest { Format = "csv", PairScore = "relevance" })).Errors.Keys);

        var plan = _planner.Plan("ds", new DatasetExportRequest { Format = "dpo-jsonl", PairScore = "relevance", PairThreshold = 0.7 });

        Assert.Equal(("openai-dpo-jsonl", "relevance", 0.7), (plan.Format, plan.PairScore, plan.PairThreshold));
    }
}
