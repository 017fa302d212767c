using MarketPulse.Core.Sentiment;

namespace MarketPulse.Core.Tests.Sentiment;

public sealed class LexiconSentimentScorerTests
{
    private static readonly VaderLexicon Lexicon = VaderLexicon.Load(RepoPaths.ShippedLexicon);
    private static readonly LexiconSentimentScorer Scorer = new(Lexicon);

    private static readonly Lazy<LexiconSentimentScorer> WithEmoji = new(() => new LexiconSentimentScorer(VaderLexicon.Load(
        RepoPaths.ShippedLexicon, SharedData.Path("vader", "vaderSentiment", "emoji_utf8_lexicon.txt"))));

    private static double V(string word) => Lexicon.TryGetValence(word, out var v) ? v : throw new ArgumentException($"'{word}' not in lexicon");

    private static double Norm(double sum) => sum / Math.Sqrt(sum * sum + 15);

    private static double Compound(string text) => Scorer.Analyze(text).Compound;

    // Outputs published in the vaderSentiment README (rounded to 4 places there), i.e. of the Python reference.
    [Theory]
    [InlineData("VADER is smart, handsome, and funny.", 0.8316)]
    [InlineData("VADER is smart, handsome, and funny!", 0.8439)]
    [InlineData("VADER is very smart, handsome, and funny.", 0.8545)]
    [InlineData("VADER is VERY SMART, handsome, and FUNNY.", 0.9227)]
    [InlineData("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342)]
    [InlineData("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469)]
    [InlineData("VADER is not smart, handsome, nor funny.", -0.7424)]
    [InlineData("The book was good.", 0.4404)]
    [InlineData("At least it isn't a horrible book.", 0.431)]
    [InlineData("The book was only kind of good.", 0.3832)]
    [InlineData("The book was kind of good.", 0.3832)]
    [InlineData("The plot was good, but the characters are uncompelling and the dialog is not great.", -0.7042)]
    [InlineData("Today SUX!", -0.5461)]
    [InlineData("Today only kinda sux! But I'll get by, lol", 0.5249)]
    [InlineData("Make sure you :) or :D today!", 0.8633)]
    [InlineData("Not bad at all", 0.431)]
    [InlineData("Sentiment analysis has never been good.", -0.3412)]
    [InlineData("Sentiment analysis has never been this good!", 0.5672)]
    [InlineData("Most automated sentiment analysis tools are shit.", -0.5574)]
    [InlineData("With VADER, sentiment analysis is the shit!", 0.6476)]
    [InlineData("Other sentiment analysis tools can be quite bad.", -0.5849)]
    [InlineData("On the other hand, VADER is quite bad ass", 0.802)]
    [InlineData("VADER is such a badass!", 0.4003)]
    [InlineData("Without a doubt, excellent idea.", 0.7013)]
    [InlineData("Roger Dodger is one of the most compelling variations on this theme.", 0.2944)]
    [InlineData("Roger Dodger is at least compelling as a variation on the theme.", 0.2263)]
    [InlineData("Roger Dodger is one of the least compelling variations on this theme.", -0.1695)]
    [InlineData("Not such a badass after all.", -0.2584)]
    public void Matches_published_reference_outputs(string text, double expected) =>
        Assert.Equal(expected, Compound(text), 0.00005);

    [SharedDataFact("vader")]
    public void Emoji_are_scored_through_their_descriptions_when_the_emoji_table_is_loaded()
    {
        const string text = "Catch utf-8 emoji such as 💘 and 💋 and 😁";
        Assert.Equal(0.875, WithEmoji.Value.Analyze(text).Compound, 0.00005);
        Assert.Equal(0, Compound(text));
    }

    [Fact]
    public void A_single_lexicon_word_scores_its_normalised_valence() =>
        Assert.Equal(Norm(V("good")), Compound("good"), 12);

    [Fact]
    public void Booster_adds_and_dampener_subtracts_in_the_direction_of_the_valence()
    {
        Assert.Equal(Norm(V("good") + 0.293), Compound("very good"), 12);
        Assert.Equal(Norm(V("bad") - 0.293), Compound("very bad"), 12);
        Assert.Equal(Norm(V("good") - 0.293), Compound("slightly good"), 12);
    }

    [Fact]
    public void Boosters_further_back_are_discounted()
    {
        // "the" is neither in the lexicon nor a modifier, so it only shifts the booster's distance.
        Assert.Equal(Norm(V("good") + 0.293 * 0.95), Compound("very the good"), 12);
        Assert.Equal(Norm(V("good") + 0.293 * 0.9), Compound("very the the good"), 12);
        Assert.Equal(Norm(V("good")), Compound("very the the the good"), 12);
    }

    [Fact]
    public void Negation_up_to_three_words_back_flips_and_damps()
    {
        Assert.Equal(Norm(V("good") * -0.74), Compound("not good"), 12);
        Assert.Equal(Norm(V("good") * -0.74), Compound("isn't the good"), 12);
        Assert.Equal(Norm(V("good") * -0.74), Compound("wasnt the the good"), 12);
        Assert.Equal(Norm(V("good")), Compound("not the the the good"), 12);
        // Any token with "n't" negates, not just the listed contractions.
        Assert.Equal(Norm(V("good") * -0.74), Compound("mayn't good"), 12);
    }

    [Fact]
    public void Never_so_and_never_this_intensify_instead_of_negating()
    {
        Assert.Equal(Norm((V("good") + 0.293) * 1.25), Compound("never so good"), 12);
        Assert.Equal(Norm(V("good") * 1.25), Compound("never this good"), 12);
        Assert.Equal(Norm(V("good") * -0.74), Compound("never good"), 12);
    }

    [Fact]
    public void No_negates_the_following_sentiment_word_and_loses_its_own_valence()
    {
        Assert.Equal(Norm(V("problem") * -0.74), Compound("no problem"), 12);
        Assert.Equal(Norm(V("no")), Compound("no"), 12);
    }

    [Fact]
    public void But_halves_what_precedes_and_weights_what_follows_by_one_and_a_half() =>
        Assert.Equal(Norm(V("good") * 0.5 + V("bad") * 1.5), Compound("good but bad"), 12);

    [Fact]
    public void But_weighting_applies_per_position_even_when_a_later_score_equals_an_earlier_weighted_one()
    {
        // adore = 2.6, ability = 1.3: after halving "adore" to 1.3, the Python's list.index(1.3) finds "adore" again
        // and halves it twice (compound 0.4497) instead of weighting "ability" by 1.5. This port applies the stated rule.
        Assert.Equal(2 * V("ability"), V("adore"), 12);
        Assert.Equal(Norm(V("adore") * 0.5 + V("ability") * 1.5), Compound("adore but ability"), 12);
        Assert.Equal(0.6428, Compound("adore but ability"), 0.00005);
    }

    [Fact]
    public void All_caps_emphasis_counts_only_when_the_text_mixes_case()
    {
        Assert.Equal(Norm(V("good") + 0.733), Compound("GOOD day"), 12);
        Assert.Equal(Norm(V("good")), Compound("GOOD DAY"), 12);
        Assert.Equal(Norm(V("good") + 0.293 + 0.733), Compound("VERY good day"), 12);
    }

    [Fact]
    public void Exclamation_marks_amplify_up_to_four()
    {
        Assert.Equal(Norm(V("good") + 0.292), Compound("good!"), 12);
        Assert.Equal(Norm(V("good") + 4 * 0.292), Compound("good!!!!"), 12);
        Assert.Equal(Norm(V("good") + 4 * 0.292), Compound("good!!!!!!!"), 12);
        Assert.Equal(Norm(V("bad") - 2 * 0.292), Compound("bad!!"), 12);
    }

    [Fact]
    public void Question_marks_amplify_from_two_and_cap_beyond_three()
    {
        Assert.Equal(Norm(V("good")), Compound("good?"), 12);
        Assert.Equal(Norm(V("good") + 2 * 0.18), Compound("good??"), 12);
        Assert.Equal(Norm(V("good") + 3 * 0.18), Compound("good???"), 12);
        Assert.Equal(Norm(V("good") + 0.96), Compound("good?????"), 12);
    }

    [Fact]
    public void Least_negates_except_in_at_least_and_very_least()
    {
        Assert.Equal(Norm(V("good") * -0.74), Compound("least good"), 12);
        Assert.Equal(Norm(V("good") * -0.74), Compound("the least good"), 12);
        Assert.Equal(Norm(V("good")), Compound("at least good"), 12);
    }

    [Fact]
    public void Kind_of_is_not_scored_as_kind_and_dampens_three_words_on()
    {
        Assert.Equal(0, Compound("kind of"));
        Assert.Equal(Norm(V("kind")), Compound("kind"), 12);
        Assert.Equal(Norm(V("good") - 0.293), Compound("it is kind of good"), 12);
    }

    [Fact]
    public void Special_case_idioms_replace_the_word_valence()
    {
        Assert.Equal(Norm(3), Compound("you are the shit"), 12);
        Assert.Equal(Norm(3), Compound("it is the bomb"), 12);
        // VADER looks both ways: "broken" matches "broken heart" forwards and "heart" matches it backwards,
        // so the phrase is counted twice (as the Python does), not broken's own -2.1 plus -2.9.
        Assert.Equal(Norm(-2 * 2.9), Compound("i have a broken heart"), 12);
        Assert.Equal(Norm(V("shit")), Compound("shit"), 12);
    }

    [Fact]
    public void Emoticons_survive_punctuation_stripping()
    {
        Assert.True(Lexicon.TryGetValence(":)", out var smile));
        Assert.Equal(Norm(smile), Compound(":)"), 12);
        Assert.Equal(Norm(V("good")), Compound("\"good,\""), 12);
    }

    [Theory]
    [InlineData("The book was good.", SentimentLabel.Positive)]
    [InlineData("The book was bad.", SentimentLabel.Negative)]
    [InlineData("The book was blue.", SentimentLabel.Neutral)]
    public void Label_follows_the_compound_thresholds(string text, SentimentLabel expected) =>
        Assert.Equal(expected, Scorer.Score(text).Label);

    [Fact]
    public void Labels_use_inclusive_five_hundredths_thresholds()
    {
        Assert.Equal(SentimentLabel.Positive, LexiconSentimentScorer.LabelOf(0.05));
        Assert.Equal(SentimentLabel.Neutral, LexiconSentimentScorer.LabelOf(0.0499));
        Assert.Equal(SentimentLabel.Negative, LexiconSentimentScorer.LabelOf(-0.05));
    }

    [Fact]
    public void Confidence_is_half_at_the_boundary_and_grows_with_distance_from_it()
    {
        Assert.Equal(0.5, LexiconSentimentScorer.ConfidenceOf(0.05), 12);
        Assert.Equal(1.0, LexiconSentimentScorer.ConfidenceOf(0), 12);
        Assert.Equal(1.0, LexiconSentimentScorer.ConfidenceOf(-1), 12);
        Assert.True(LexiconSentimentScorer.ConfidenceOf(0.8) > LexiconSentimentScorer.ConfidenceOf(0.4));
        Assert.True(LexiconSentimentScorer.ConfidenceOf(0.01) > LexiconSentimentScorer.ConfidenceOf(0.04));
        var s = Scorer.Score("VADER is smart, handsome, and funny.");
        Assert.Equal(LexiconSentimentScorer.ConfidenceOf(s.Polarity), s.Confidence, 12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t ")]
    public void Blank_text_is_neutral_with_no_confidence(string text) =>
        Assert.Equal(SentimentScore.Neutral, Scorer.Score(text));

    [Fact]
    public void Proportions_sum_to_one()
    {
        var p = Scorer.Analyze("The plot was good, but the characters are uncompelling and the dialog is not great.");
        Assert.Equal(1.0, p.Positive + p.Neutral + p.Negative, 9);
        Assert.True(p.Negative > p.Positive);
    }

    [Fact]
    public void Long_texts_beyond_the_stack_buffers_score_like_their_repetition()
    {
        var longText = string.Join(' ', Enumerable.Repeat("good", 400));
        Assert.Equal(Norm(400 * V("good")), Compound(longText), 9);
    }

    [Fact]
    public void Scoring_plain_text_allocates_nothing()
    {
        const string text = "$AAPL is VERY good today, but the market is not great!! kind of scary??";
        Scorer.Score(text);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) Scorer.Score(text);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Name_identifies_the_full_rule_set() => Assert.Equal("lexicon-vader-v2", Scorer.Name);
}
