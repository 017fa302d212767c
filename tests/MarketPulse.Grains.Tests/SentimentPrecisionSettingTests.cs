using System.Diagnostics.Metrics;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Sentiment;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Tests;

/// <summary><c>MarketPulse:Sentiment:Precision</c> chooses the silo's transformer arithmetic; a bad value keeps the silo not ready.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SentimentPrecisionSettingTests(ClusterFixture fixture)
{
    private static readonly ServiceProvider Metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private SentimentRefinement Create(string precision, bool transformerEnabled = true, int? threads = null) => new(
        Options.Create(new SentimentOptions { Precision = precision, TransformerEnabled = transformerEnabled, RefineThreads = threads }),
        new MarketPulse.Ml.ModelLocator(RepoPaths.Models),
        fixture.Grains, Metrics.GetRequiredService<IMeterFactory>(),
        new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance),
        NullLogger<SentimentRefinement>.Instance);

    [Theory]
    [InlineData("fp16", true)]
    [InlineData("int4", false)]
    [InlineData("", true)]
    public void An_unknown_precision_fails_with_the_setting_and_the_choices_named(string value, bool enabled)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(value, enabled));
        Assert.Contains("MarketPulse:Sentiment:Precision", ex.Message);
        Assert.Contains($"'{value}'", ex.Message);
        Assert.Contains("float32 or int8", ex.Message);
    }

    [Fact]
    public async Task Int8_loads_the_quantised_model_and_labels_its_scores_with_it()
    {
        await using var int8 = Create("int8");
        Assert.EndsWith("-int8", int8.Model);
        Assert.StartsWith("minilm", int8.Model);
        await using var float32 = Create("float32");
        Assert.Equal(int8.Model, float32.Model + "-int8");
    }

    [Fact]
    public void Refine_threads_below_one_are_refused_with_the_setting_named()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create("float32", threads: 0));
        Assert.Contains("MarketPulse:Sentiment:RefineThreads", ex.Message);
    }

    [Fact]
    public async Task Refine_threads_default_to_one_fewer_than_the_cores_so_a_burst_leaves_a_core_to_ingestion()
    {
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), new SentimentOptions().EffectiveRefineThreads);
        Assert.Equal(3, new SentimentOptions { RefineThreads = 3 }.EffectiveRefineThreads);
        await using var refinement = Create("float32", threads: 1);
        Assert.NotNull(refinement.Queue);
    }
}
