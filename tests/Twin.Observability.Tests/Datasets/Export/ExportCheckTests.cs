using Twin.Observability.Datasets.Export;
using Twin.Observability.Datasets.Export.Formats;
using Xunit;
using static Twin.Observability.Tests.Datasets.Export.ExportSamples;

namespace Twin.Observability.Tests.Datasets.Export;

public sealed class ExportCheckTests
{
    private static readonly string[] AlternatingFormats = ["sharegpt-jsonl", "alpaca-json", "bedrock-converse-jsonl"];

    public static TheoryData<string> Names() => [.. ExportFormats.All.Select(f => f.Name)];

    public static TheoryData<string> FreeTurnNames() => [.. ExportFormats.All.Select(f => f.Name).Except(AlternatingFormats)];

    public static TheoryData<string> AlternatingNames() => [.. AlternatingFormats];

    public static TheoryData<string> SingleReplyNames() => [.. ExportFormats.All.Where(f => !f.NeedsPairs).Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_samples_pass(string name)
    {
        Assert.All(All, example => Assert.Null(Format(name).Check(example)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_format_refuses_blank_text_and_other_roles(string name)
    {
        var format = Format(name);

        Assert.Equal("empty_user", format.Check(Rich with { User = " \n" }));
        Assert.Equal("empty_assistant", format.Check(Rich with { Assistant = "" }));
        Assert.Equal("empty_history_message", format.Check(Rich with { History = [new(User, "Hi"), new(Assistant, "\t")] }));
        Assert.Equal("bad_history_role", format.Check(Rich with { History = [new("system", "Hi"), new(Assistant, "Hello")] }));
        Assert.Equal("bad_history_role", format.Check(Rich with { History = [new(User, "Hi"), new("tool", "42")] }));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_first_broken_rule_is_the_one_reported(string name)
    {
        Assert.Equal("empty_user", Format(name).Check(Rich with { User = "", Assistant = "", Rejected = null }));
    }

    [Theory]
    [MemberData(nameof(AlternatingNames))]
    public void Turn_pair_formats_refuse_history_that_does_not_alternate_from_user_to_assistant(string name)
    {
        var format = Format(name);

        Assert.Equal("not_alternating", format.Check(Rich with { History = [new(Assistant, "Hello"), new(User, "Hi")] }));
        Assert.Equal("not_alternating", format.Check(Rich with { History = [new(User, "Hi"), new(User, "Again")] }));
        Assert.Equal("not_alternating", format.Check(Rich with { History = [new(User, "Hi")] }));
        Assert.Null(format.Check(Rich with { History = [] }));
    }

    [Theory]
    [MemberData(nameof(FreeTurnNames))]
    public void Other_formats_take_history_in_any_order(string name)
    {
        Assert.Null(Format(name).Check(Rich with { History = [new(Assistant, "Hello"), new(User, "Hi"), new(User, "Again")] }));
    }

    [Theory]
    [InlineData(null, "missing_rejected")]
    [InlineData("  ", "missing_rejected")]
    [InlineData(" Tea, always. ", "same_preferred_and_rejected")]
    public void The_preference_format_needs_a_different_rejected_reply(string? rejected, string rule)
    {
        Assert.Equal(rule, Format("openai-dpo-jsonl").Check(Plain with { Assistant = "Tea, always.", Rejected = rejected }));
    }

    [Theory]
    [MemberData(nameof(SingleReplyNames))]
    public void Single_reply_formats_ignore_the_rejected_reply(string name)
    {
        Assert.Null(Format(name).Check(Plain with { Rejected = null }));
        Assert.Null(Format(name).Check(Plain with { Rejected = Plain.Assistant }));
    }
}
