using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Text;

namespace MarketPulse.Ingestion.Validation;

/// <summary>
/// Whether one text is admitted, and as what: the one rule every text source grain applies and the StockNet backtest
/// applies to its tweets, so both keep exactly the same posts. Tickers come from the sender, else from the text
/// (cashtags and company names); then the <see cref="TextValidator"/> (time, length, symbols) and the
/// <see cref="TextPipeline"/> (normalisation, retweet/near-duplicate collapse, language and spam checks, length cap).
/// Stateful like the pipeline it wraps (it remembers recent texts): one per source, fed in arrival order.
/// </summary>
public sealed class TextIntake(TextPipeline pipeline, TimeProvider? clock = null)
{
    private readonly TextValidator _validator = new(clock: clock);

    /// <returns>Null and the admitted post (normalised text, its tickers), or the reason it was dropped.</returns>
    public string? Admit(TextPost? raw, out TextPost? post)
    {
        post = null;
        if (raw is null) return RejectReasons.Text;
        // Company names count as mentions too, not only $CASHTAGs (which the validator finds itself).
        if (raw is { Text: { Length: > 0 and <= TextValidator.MaxTextLength } text } && (raw.Symbols is null || raw.Symbols.Count == 0))
            raw = raw with { Symbols = pipeline.FindSymbols(text) };
        var reason = _validator.Check(raw, out var valid);
        if (reason is not null) return reason;
        var verdict = pipeline.Process(valid.Text, valid.Author, valid.Symbols);
        if (verdict.DropReason is not null) return verdict.DropReason;
        post = valid with { Text = verdict.Text };
        return null;
    }
}
