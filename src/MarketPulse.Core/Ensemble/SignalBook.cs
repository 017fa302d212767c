namespace MarketPulse.Core.Ensemble;

/// <summary>One call waiting for its target day's close: the signal's name and its probability of an up day.</summary>
public readonly record struct BookCall(string Signal, double ProbabilityUp);

/// <summary>A pending call scored at a close: <paramref name="Hit"/> and <paramref name="Loss"/> (Brier) are null on a flat day.</summary>
public readonly record struct ScoredCall(string Signal, double ProbabilityUp, bool? Hit, double? Loss);

/// <summary>
/// The close that settled a day's calls: the move from the basis day's close, each call's score, and (unless the day
/// was flat, which teaches nothing) what the experts said and what happened, for the pooled stacker.
/// </summary>
public sealed record ScoredDay(DateOnly Day, double RealizedReturn, bool WentUp, IReadOnlyList<ScoredCall> Calls, StackingOutcome? Outcome)
{
    public bool Flat => RealizedReturn == 0;

    /// <summary>"up", "down" or "flat": the outcome as the API names it.</summary>
    public string Direction => Flat ? "flat" : WentUp ? "up" : "down";
}

/// <summary>
/// The day's calls as issued: each expert's probability (NaN where it abstained), the per-ticker Hedge mix and the
/// stacked ensemble, each with its explanation (the experts' shares and pulls).
/// </summary>
public sealed record IssuedDay(DateOnly Basis, double[] Experts, double Hedge, IReadOnlyList<MixContribution> HedgeMix, double Ensemble,
    IReadOnlyList<MixContribution> EnsembleMix);

/// <summary>What a <see cref="SignalBook"/> continues from (a grain's persisted state).</summary>
public sealed record SignalBookState(IReadOnlyList<double>? Weights, IReadOnlyDictionary<string, ScorecardState>? Scorecards,
    DateOnly? LastDay, double? LastClose, double? LastDayReturn, long Closes, DateOnly? IssuedFor, IReadOnlyList<BookCall>? Pending);

/// <summary>
/// One symbol's daily cycle of direction calls: at each close it scores the calls issued for that day against the move
/// from the previous close (running scorecards per signal, Hedge weights of the experts, an outcome for the pooled
/// stacker); at the next prediction time it issues the next day's calls from the experts' probabilities and the
/// stacking model it is given. The live ensemble grain and the StockNet backtest both drive this object, so the two
/// compute the same numbers by construction.
/// </summary>
/// <remarks>
/// Causality is the caller's: issue only from inputs before the prediction time, and with a stacking model fitted on
/// outcomes of days before the basis day (<see cref="LogisticStacking.ModelFor"/>).
/// </remarks>
public sealed class SignalBook
{
    private readonly string[] _experts;
    private readonly string _hedgeSignal;
    private readonly string _ensembleSignal;
    private readonly Dictionary<string, SignalScorecard> _cards = new(StringComparer.Ordinal);
    private readonly List<BookCall> _pending = [];

    /// <param name="symbol">The symbol (named in the stacker's outcomes).</param>
    /// <param name="experts">The experts' signal names, in the order their probabilities are given and weighted.</param>
    /// <param name="hedgeSignal">The name of the per-ticker Hedge mix's call.</param>
    /// <param name="ensembleSignal">The name of the stacked ensemble's call.</param>
    /// <param name="state">Where to continue from; null: the priors.</param>
    public SignalBook(string symbol, IReadOnlyList<string> experts, string hedgeSignal, string ensembleSignal, SignalBookState? state = null)
    {
        Symbol = symbol;
        _experts = [.. experts];
        _hedgeSignal = hedgeSignal;
        _ensembleSignal = ensembleSignal;
        Hedge = state?.Weights is { } w && w.Count == _experts.Length ? new HedgeWeights(w) : new HedgeWeights(_experts.Length);
        if (state is null) return;
        foreach (var (name, card) in state.Scorecards ?? new Dictionary<string, ScorecardState>()) _cards[name] = SignalScorecard.Restore(card);
        (LastDay, LastClose, LastDayReturn, Closes, IssuedFor) = (state.LastDay, state.LastClose, state.LastDayReturn, state.Closes, state.IssuedFor);
        _pending.AddRange(state.Pending ?? []);
    }

    public string Symbol { get; }
    public IReadOnlyList<string> Experts => _experts;
    public HedgeWeights Hedge { get; }
    public IReadOnlyDictionary<string, SignalScorecard> Scorecards => _cards;
    public IReadOnlyList<BookCall> Pending => _pending;

    /// <summary>The last close recorded, its price, and its return over the close before it.</summary>
    public DateOnly? LastDay { get; private set; }
    public double? LastClose { get; private set; }
    public double? LastDayReturn { get; private set; }
    public long Closes { get; private set; }

    /// <summary>The basis day of the calls issued last (each basis day is issued at most once).</summary>
    public DateOnly? IssuedFor { get; private set; }

    /// <summary>The persistence baseline's probability for the next day: yesterday's direction (NaN after an unchanged day).</summary>
    public double Persistence => SignalMix.Persistence(LastDayReturn);

    /// <summary>False for a close of a day already recorded (a redelivered close): it changes nothing.</summary>
    public bool Accepts(DateOnly day) => LastDay is not { } last || day > last;

    /// <summary>Whether the next calls may be issued on <paramref name="basis"/>: it is the last close and not issued yet.</summary>
    public bool CanIssue(DateOnly basis) => LastDay == basis && (IssuedFor is not { } issued || basis > issued);

    /// <summary>
    /// Records the close of <paramref name="day"/> and scores the pending calls against the move from the last close.
    /// </summary>
    /// <returns>The scored calls; null when nothing was pending (or there was no earlier close to measure from).</returns>
    public ScoredDay? Close(DateOnly day, double close, double? previousClose)
    {
        if (!Accepts(day)) throw new InvalidOperationException($"{Symbol}: the close of {day} is not after the last one ({LastDay})");
        ScoredDay? scored = null;
        if (_pending.Count > 0 && LastClose is { } basisClose && basisClose > 0) scored = Score(day, close / basisClose - 1);
        _pending.Clear();
        LastClose = close;
        LastDayReturn = previousClose is { } pc && pc > 0 ? close / pc - 1 : null;
        LastDay = day;
        Closes++;
        return scored;
    }

    private ScoredDay Score(DateOnly day, double realized)
    {
        var wentUp = realized > 0;
        var flat = realized == 0;
        var calls = new ScoredCall[_pending.Count];
        var losses = new double[_experts.Length];
        var said = new double[_experts.Length];
        Array.Fill(losses, double.NaN);
        Array.Fill(said, double.NaN);
        for (var i = 0; i < _pending.Count; i++)
        {
            var (signal, p) = _pending[i];
            var expert = Array.IndexOf(_experts, signal);
            if (expert >= 0) said[expert] = p;
            if (flat)
            {
                calls[i] = new ScoredCall(signal, p, null, null);
                continue;
            }
            if (!_cards.TryGetValue(signal, out var card)) _cards[signal] = card = new SignalScorecard();
            var loss = card.Add(p, wentUp);
            if (expert >= 0) losses[expert] = loss;
            calls[i] = new ScoredCall(signal, p, (p >= 0.5) == wentUp, loss);
        }
        if (flat) return new ScoredDay(day, realized, wentUp, calls, null);
        Hedge.Update(losses);
        return new ScoredDay(day, realized, wentUp, calls, new StackingOutcome(day, Symbol, said, wentUp));
    }

    /// <summary>
    /// Issues the calls for the trading day after <paramref name="basis"/>: the experts' probabilities as given (NaN where
    /// one abstains), their Hedge mix with this symbol's weights, and their stacking by <paramref name="model"/>. They wait
    /// in <see cref="Pending"/> for the next <see cref="Close"/>.
    /// </summary>
    public IssuedDay Issue(DateOnly basis, ReadOnlySpan<double> experts, StackingModel model)
    {
        if (experts.Length != _experts.Length) throw new ArgumentException($"one probability per expert ({_experts.Length})", nameof(experts));
        if (!CanIssue(basis)) throw new InvalidOperationException($"{Symbol}: cannot issue on {basis} (last close {LastDay}, issued for {IssuedFor})");
        var hedgeMix = new List<MixContribution>(_experts.Length);
        var pHedge = SignalMix.Combine(Hedge, experts, hedgeMix);
        var mix = new List<MixContribution>(_experts.Length);
        var pEnsemble = LogisticStacking.Predict(model, experts, mix);
        _pending.Clear();
        for (var k = 0; k < experts.Length; k++)
            if (!double.IsNaN(experts[k])) _pending.Add(new BookCall(_experts[k], experts[k]));
        _pending.Add(new BookCall(_hedgeSignal, pHedge));
        _pending.Add(new BookCall(_ensembleSignal, pEnsemble));
        IssuedFor = basis;
        return new IssuedDay(basis, experts.ToArray(), pHedge, hedgeMix, pEnsemble, mix);
    }

    /// <summary>Where to continue from, for persisting.</summary>
    public SignalBookState Save() => new([.. Hedge.Weights], _cards.ToDictionary(kv => kv.Key, kv => kv.Value.Save(), StringComparer.Ordinal),
        LastDay, LastClose, LastDayReturn, Closes, IssuedFor, [.. _pending]);
}
