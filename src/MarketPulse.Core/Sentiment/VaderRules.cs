namespace MarketPulse.Core.Sentiment;

/// <summary>
/// The constants and word lists of VADER's rules, as published in vaderSentiment.py 3.3.2
/// (C.J. Hutto, MIT licence; Hutto &amp; Gilbert, ICWSM 2014). Values are the paper's empirically derived increments.
/// </summary>
internal static class VaderRules
{
    public const double BoosterIncrement = 0.293;
    public const double BoosterDecrement = -0.293;
    public const double AllCapsIncrement = 0.733;
    public const double NegationScalar = -0.74;
    public const double ExclamationIncrement = 0.292;
    public const int MaxExclamations = 4;
    public const double QuestionIncrement = 0.18;
    public const double QuestionCap = 0.96;
    public const double NormalizationAlpha = 15;
    public const double ButBefore = 0.5;
    public const double ButAfter = 1.5;
    public const double NeverSoThis = 1.25;
    public const double LabelThreshold = 0.05;

    public static readonly string[] Negations =
    [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ];

    private static readonly string[] Increments =
    [
        "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
        "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
        "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin", "frigging",
        "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
        "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
        "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous",
        "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
    ];

    private static readonly string[] Decrements =
    [
        "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal", "marginally",
        "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat",
        "sorta", "sortof", "sort-of",
    ];

    /// <summary>Single-token boosters (positive) and dampeners (negative).</summary>
    public static IEnumerable<KeyValuePair<string, double>> Boosters =>
        Increments.Select(w => KeyValuePair.Create(w, BoosterIncrement))
            .Concat(Decrements.Select(w => KeyValuePair.Create(w, BoosterDecrement)));

    /// <summary>Two-word dampeners: VADER only sees them in its idiom pass, three words before a sentiment word.</summary>
    public static readonly (string[] Words, double Scalar)[] BoosterBigrams =
    [
        (["just", "enough"], BoosterDecrement),
        (["kind", "of"], BoosterDecrement),
        (["sort", "of"], BoosterDecrement),
    ];

    /// <summary>Phrases containing lexicon words whose meaning differs from the sum of their words.</summary>
    public static readonly (string[] Words, double Valence)[] SpecialCases =
    [
        (["the", "shit"], 3), (["the", "bomb"], 3), (["bad", "ass"], 1.5), (["badass"], 1.5), (["bus", "stop"], 0.0),
        (["yeah", "right"], -2), (["kiss", "of", "death"], -1.5), (["to", "die", "for"], 3),
        (["beating", "heart"], 3.1), (["broken", "heart"], -2.9),
    ];
}
