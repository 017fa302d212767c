using MarketPulse.Core.Sentiment;

namespace MarketPulse.Core.Tests.Sentiment;

/// <summary>The operator-supplied Loughran–McDonald lists: both file layouts, refusals, and what merging them changes.</summary>
public sealed class LoughranMcDonaldTests
{
    private static readonly VaderLexicon Vader = VaderLexicon.Load(RepoPaths.ShippedLexicon);
    private static readonly Lazy<LoughranMcDonaldLexicon> SharedCsv = new(() =>
        LoughranMcDonaldLexicon.Load(SharedData.Path("loughran_mcdonald", "inputs", "LM_MasterDictionary_1993-2021.csv")));

    private static LoughranMcDonaldLexicon Read(string text) => LoughranMcDonaldLexicon.Load(new StringReader(text));

    [Fact]
    public void Csv_lists_words_with_a_positive_year_and_drops_removed_ones()
    {
        var lm = Read("Word,Negative,Positive\nLOSS,2009,0\nGAIN,0,2009\nBROKEN,-2020,0\nTABLE,0,0\n");
        Assert.Equal(["loss"], lm.Negative);
        Assert.Equal(["gain"], lm.Positive);
        Assert.Equal(4, lm.Dictionary!.Count);
    }

    [Fact]
    public void Official_wide_csv_is_read_by_column_name()
    {
        var lm = Read("Word,Seq_num,Word Count,Negative,Positive,Uncertainty\nLOSS,1,10,2009,0,0\nGAIN,2,10,0,2009,0\n");
        Assert.Contains("loss", lm.Negative);
        Assert.Contains("gain", lm.Positive);
    }

    [Fact]
    public void Cat_file_keeps_negative_and_positive_and_skips_other_categories()
    {
        var lm = Read("NEGATIVE\r\n\tABANDON (1)\r\n\tLOSS (1)\r\nPOSITIVE\r\n\tGAIN (1)\r\nUNCERTAINTY\r\n\tMAYBE (1)\r\n");
        Assert.Equal(["abandon", "loss"], lm.Negative.Order());
        Assert.Equal(["gain"], lm.Positive);
        Assert.Null(lm.Dictionary);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Word,Negative\nLOSS,2009\n", "'Positive' column")]
    [InlineData("Word,Negative,Positive\nLOSS,yes,0\nGAIN,0,2009\n", "line 2")]
    [InlineData("Word,Negative,Positive\nLOSS,2009\n", "line 2")]
    [InlineData("Word,Negative,Positive\nLOSS,2009,0\n", "0 positive")]
    [InlineData("\tLOSS (1)\nNEGATIVE\n", "before any category")]
    [InlineData("NEGATIVE\n\tNET LOSS (1)\nPOSITIVE\n\tGAIN (1)\n", "line 2")]
    public void Malformed_files_are_refused_with_the_reason(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Read(text));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => LoughranMcDonaldLexicon.Load("/nonexistent/lm.csv"));
        Assert.Contains("/nonexistent/lm.csv", ex.Message);
    }

    [SharedDataFact("loughran_mcdonald")]
    public void Shared_files_give_the_published_list_sizes()
    {
        // PROVENANCE.md: 2,355 negative / 354 positive in both; the reduced CSV drops words the 2020 revision removed.
        Assert.Equal((2345, 347), (SharedCsv.Value.Negative.Count, SharedCsv.Value.Positive.Count));
        var cat = LoughranMcDonaldLexicon.Load(SharedData.Path("loughran_mcdonald", "sources", "Loughran-McDonald", "Loughran_and_McDonald_2014.cat"));
        Assert.Equal((2355, 354), (cat.Negative.Count, cat.Positive.Count));
    }

    [SharedDataTheory("loughran_mcdonald")]
    // VADER has no valence for these finance words and calls the sentences neutral; LM lists them negative.
    [InlineData("The company recorded an impairment of goodwill and restated its accounts .", SentimentLabel.Neutral, SentimentLabel.Negative)]
    [InlineData("Profit was hit by restructuring charges and litigation .", SentimentLabel.Neutral, SentimentLabel.Negative)]
    // VADER reads "shares" as sharing (positive) and knows no "downgraded".
    [InlineData("Shares of the company were downgraded .", SentimentLabel.Positive, SentimentLabel.Negative)]
    // "vice" (president) and "liability" carry everyday sentiment in VADER; in finance they are neutral (LM's title example).
    [InlineData("The vice president of the board will join the company .", SentimentLabel.Positive, SentimentLabel.Neutral)]
    [InlineData("The company has no tax liability .", SentimentLabel.Negative, SentimentLabel.Neutral)]
    public void Finance_sentences_vader_gets_wrong_are_fixed_by_the_lists(string text, SentimentLabel vaderAlone, SentimentLabel combined)
    {
        var vader = new LexiconSentimentScorer(Vader);
        var withLm = new LexiconSentimentScorer(Vader, SharedCsv.Value);
        Assert.Equal(vaderAlone, vader.Score(text).Label);
        Assert.Equal(combined, withLm.Score(text).Label);
    }

    [SharedDataFact("loughran_mcdonald")]
    public void Vader_rules_apply_to_the_finance_words()
    {
        var scorer = new LexiconSentimentScorer(Vader, SharedCsv.Value);
        var plain = scorer.Analyze("The company recorded an impairment .").Compound;
        Assert.True(plain < -0.05, $"{plain}");
        // Negation flips it (× -0.74), a booster strengthens it, "but" halves what came before.
        Assert.Equal(plain * -0.74, scorer.Analyze("The company did not record an impairment .").Compound, 1);
        Assert.True(scorer.Analyze("The company recorded a very large impairment .").Compound < plain);
        Assert.True(scorer.Analyze("The company recorded an impairment but profit improved .").Compound > 0);
    }

    [SharedDataFact("loughran_mcdonald")]
    public void Modes_change_only_what_they_say()
    {
        var fill = new LexiconSentimentScorer(Vader, SharedCsv.Value, new(LoughranMcDonaldMode.Fill, -1.5, 1.5));
        var overriding = new LexiconSentimentScorer(Vader, SharedCsv.Value, new(LoughranMcDonaldMode.Override, -1.5, 1.5));
        var vader = new LexiconSentimentScorer(Vader);
        // "weak" is in VADER (-1.9) and on LM's negative list: Fill keeps VADER's valence, Override sets LM's.
        Assert.Equal(vader.Analyze("weak").Compound, fill.Analyze("weak").Compound, 12);
        Assert.Equal(-1.5 / Math.Sqrt(1.5 * 1.5 + 15), overriding.Analyze("weak").Compound, 12);
        // "impairment" is not in VADER: every mode adds it.
        Assert.Equal(-1.5 / Math.Sqrt(1.5 * 1.5 + 15), fill.Analyze("impairment").Compound, 12);
        Assert.True(fill.ChangedByLoughranMcDonald < overriding.ChangedByLoughranMcDonald);
        Assert.Equal("lexicon-vader-lm-v1", fill.Name);
        Assert.Equal("lexicon-vader-v2", vader.Name);
    }

    [SharedDataFact("loughran_mcdonald")]
    public void Scoring_with_the_lists_merged_allocates_nothing()
    {
        var scorer = new LexiconSentimentScorer(Vader, SharedCsv.Value);
        const string text = "$AAPL impairment is VERY bad today, but the outlook improved!! kind of scary??";
        scorer.Score(text);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) scorer.Score(text);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
