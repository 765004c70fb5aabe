using Microsoft.Extensions.Options;
using Twin.Observability.Tracing;

namespace Twin.Observability.Llm;

/// <summary>
/// Prices of models: the offline responder is free; others cost what <c>Llm:Prices</c> says, or have no known cost
/// (never a guessed one). Providers answer with dated names (<c>gpt-4o-mini-2024-07-18</c> for <c>gpt-4o-mini</c>), so
/// a generation is priced by the model that answered, then the model asked for (the app's configured model when the
/// request named none), each first exactly and then by the longest configured name it starts with when what follows
/// is a date or version only (<c>-2024-07-18</c>, <c>-0613</c>, <c>@001</c>): <c>gpt-4</c> never prices <c>gpt-4o</c>,
/// nor <c>gpt-4o</c> a <c>gpt-4o-mini-2024-07-18</c> (a different model, not a dated one).
/// </summary>
public sealed class LlmPricing(IOptions<LlmOptions> options)
{
    public ModelPrice? For(string? responseModel, string? requestModel)
    {
        requestModel ??= options.Value.Model;
        return Exact(responseModel) ?? Exact(requestModel) ?? ByPrefix(responseModel) ?? ByPrefix(requestModel);
    }

    private ModelPrice? Exact(string? model) =>
        model is null ? null
        : model == OfflineChatClient.ModelId ? ModelPrice.Free
        : options.Value.Prices.TryGetValue(model, out var price) ? ToPrice(price)
        : null;

    private ModelPrice? ByPrefix(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        KeyValuePair<string, ModelPriceOptions>? best = null;
        foreach (var entry in options.Value.Prices)
        {
            if (entry.Key.Length < model.Length
                && model.StartsWith(entry.Key, StringComparison.OrdinalIgnoreCase)
                && IsDateOrVersion(model.AsSpan(entry.Key.Length))
                && (best is null || entry.Key.Length > best.Value.Key.Length))
            {
                best = entry;
            }
        }

        return best is { } found ? ToPrice(found.Value) : null;
    }

    // A separator, then only digits and separators, with at least one digit.
    private static bool IsDateOrVersion(ReadOnlySpan<char> suffix) =>
        suffix.Length > 1
        && IsSeparator(suffix[0])
        && suffix.ContainsAnyInRange('0', '9')
        && !suffix.ContainsAnyExcept(VersionCharacters);

    private static bool IsSeparator(char c) => c is '-' or '.' or '_' or ':' or '@';

    private static readonly System.Buffers.SearchValues<char> VersionCharacters = System.Buffers.SearchValues.Create("0123456789-._:@");

    private static ModelPrice ToPrice(ModelPriceOptions price) =>
        new(price.InputPerMillionUsd, price.OutputPerMillionUsd, price.CachedInputPerMillionUsd);
}
