using MarketPulse.Core.Text;

namespace MarketPulse.Core.Tests.Text;

public sealed class TextNormalizerTests
{
    private readonly TextNormalizer _normalizer = new();

    [Theory]
    [InlineData("We were 17 deep &amp; the love was so strong", "We were 17 deep & the love was so strong")]
    [InlineData("&lt;3 &quot;hi&quot; &#36;AAPL", "<3 \"hi\" $AAPL")]
    public void Decodes_html_entities(string input, string expected) => Assert.Equal(expected, _normalizer.Normalize(input));

    [Theory]
    [InlineData("ＡＡＰＬ ｔｏ ｔｈｅ ｍｏｏｎ", "AAPL to the moon")]
    [InlineData("＄ＡＡＰＬ", "$AAPL")]
    [InlineData("ﬁnally proﬁt", "finally profit")]
    [InlineData("𝐀𝐀𝐏𝐋 is up", "AAPL is up")]
    [InlineData("up 𝟓% today…", "up 5% today...")]
    public void Folds_compatibility_characters(string input, string expected) => Assert.Equal(expected, _normalizer.Normalize(input));

    [Fact]
    public void Fallback_folding_matches_what_nfkc_gives_for_the_characters_it_covers()
    {
        // Run in invariant-globalization builds too, so the fallback itself is always exercised.
        Assert.Equal("AAPL fi 1 2 st 2 ... TM x", TextNormalizer.CompatibilityFold("ＡＡＰＬ\u3000ﬁ ① ² ﬆ ₂ … ™\u00A0x"));
        Assert.Same("plain ascii", TextNormalizer.CompatibilityFold("plain ascii"));
    }

    [Theory]
    [InlineData("read here $aapl https://t.co/AbC123 now", "read here $aapl URL now")]
    [InlineData("see www.example.com/x?y=1.", "see URL")]
    [InlineData("HTTP://EXAMPLE.COM/A", "URL")]
    public void Replaces_urls(string input, string expected) => Assert.Equal(expected, _normalizer.Normalize(input));

    [Theory]
    [InlineData("rt @jimcramer: $AAPL", "rt AT_USER: $AAPL")]
    [InlineData("mail me at ann@example.com", "mail me at ann@example.com")]
    public void Replaces_mentions_but_not_email_addresses(string input, string expected) => Assert.Equal(expected, _normalizer.Normalize(input));

    [Fact]
    public void Mentions_can_be_kept() =>
        Assert.Equal("hi @bob", new TextNormalizer(new TextNormalizerOptions(MentionPlaceholder: null)).Normalize("hi @bob"));

    [Fact]
    public void Collapses_whitespace_and_drops_invisible_characters() =>
        Assert.Equal("a b c d", _normalizer.Normalize("  a \t\r\n b\u200B\u00A0 c\u0007 \uFEFFd  "));

    [Fact]
    public void Caps_length_without_splitting_a_surrogate_pair()
    {
        var n = new TextNormalizer(new TextNormalizerOptions(MaxLength: 5));
        Assert.Equal("abcde", n.Normalize("abcdefgh"));
        Assert.Equal("abcd", n.Normalize("abcd😀x"));
        // Trailing space left by the cut is trimmed.
        Assert.Equal("ab", n.Normalize("ab      "));
        // The cap counts the collapsed text, not the raw input.
        Assert.Equal("ab cd", n.Normalize("ab   cdef"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Empty_input_gives_empty_text(string? input) => Assert.Equal("", _normalizer.Normalize(input));

    [Fact]
    public void Rejects_a_non_positive_cap() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextNormalizer(new TextNormalizerOptions(MaxLength: 0)));
}
