using MarketPulse.Core.Sentiment;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MarketPulse.Grains.Tests;

/// <summary>The silo's lexicon scorer: VADER alone unless the operator supplies the Loughran–McDonald lists.</summary>
public sealed class LexiconRegistrationTests
{
    private static ServiceProvider Build(string? lmPath, string? mode = null)
    {
        var settings = new Dictionary<string, string?> { ["MarketPulse:Models:Path"] = RepoPaths.Models };
        if (lmPath is not null) settings["MarketPulse:Sentiment:LoughranMcDonaldPath"] = lmPath;
        if (mode is not null) settings["MarketPulse:Sentiment:LoughranMcDonaldMode"] = mode;
        var services = new ServiceCollection().AddLogging();
        services.AddMarketPulseGrainServices(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Default_is_vader_alone()
    {
        using var sp = Build(null);
        Assert.Equal("lexicon-vader-v2", sp.GetRequiredService<ISentimentScorer>().Name);
    }

    [SharedDataFact("loughran_mcdonald")]
    public void Configured_lists_are_merged_in_the_configured_mode()
    {
        using var sp = Build(SharedData.Path("loughran_mcdonald", "inputs", "LM_MasterDictionary_1993-2021.csv"), "Fill");
        var scorer = Assert.IsType<LexiconSentimentScorer>(sp.GetRequiredService<ISentimentScorer>());
        Assert.Equal("lexicon-vader-lm-v1", scorer.Name);
        Assert.Equal(LoughranMcDonaldMode.Fill, scorer.Combination!.Mode);
        Assert.Equal(SentimentLabel.Negative, scorer.Score("The company recorded an impairment of goodwill .").Label);
    }

    [Fact]
    public void A_missing_file_stops_start_up_with_the_setting_named()
    {
        using var sp = Build("/nonexistent/lm.csv");
        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<ISentimentScorer>());
        Assert.Contains("MarketPulse:Sentiment:LoughranMcDonaldPath", ex.Message);
        Assert.Contains("/nonexistent/lm.csv", ex.Message);
    }
}
