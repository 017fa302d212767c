using MarketPulse.Core.Sentiment;
using MarketPulse.Ml;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Ml.Tests;

/// <summary>The one rule by which the silo, the gateway and the CLI find the shipped models.</summary>
public sealed class ModelLocatorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mp-locator-");
    private string Checkout => Path.Combine(_root.FullName, "checkout");
    private string App => Path.Combine(_root.FullName, "app");

    public void Dispose() => _root.Delete(recursive: true);

    private void Put(string root, string file)
    {
        Directory.CreateDirectory(Path.Combine(root, "models"));
        File.WriteAllText(Path.Combine(root, "models", file), file);
    }

    [Fact]
    public void A_relative_folder_is_looked_for_under_the_working_directory_first_then_beside_the_executable()
    {
        Put(Checkout, "price.onnx");
        Put(App, "price.onnx");
        Put(App, "forecast.json");
        var models = new ModelLocator("models", Checkout, App);
        Assert.Equal([Path.Combine(Checkout, "models"), Path.Combine(App, "models")], models.Candidates);
        Assert.Equal(Path.Combine(Checkout, "models", "price.onnx"), models.Find("price.onnx"));
        // A file the checkout's folder lacks comes from the executable's copy.
        Assert.Equal(Path.Combine(App, "models", "forecast.json"), models.Find("forecast.json"));
        Assert.Equal(Path.Combine(Checkout, "models"), models.Folder);
    }

    [Fact]
    public void Unset_means_the_models_folder_and_a_rooted_folder_is_the_only_place_looked()
    {
        Assert.Equal(Path.Combine(Checkout, "models"), new ModelLocator(null, Checkout, App).Candidates[0]);
        Assert.Equal(Path.Combine(Checkout, "models"), new ModelLocator(" ", Checkout, App).Candidates[0]);
        var rooted = Path.Combine(_root.FullName, "elsewhere");
        Assert.Equal([rooted], new ModelLocator(rooted, Checkout, App).Candidates);
    }

    [Fact]
    public void A_missing_file_is_reported_with_every_folder_looked_in()
    {
        var models = new ModelLocator("models", Checkout, App);
        Assert.Null(models.Find("price.onnx"));
        Assert.Equal(Path.Combine(Checkout, "models", "price.onnx"), models.PathOf("price.onnx"));
        var ex = Assert.Throws<FileNotFoundException>(() => models.Require("price.onnx"));
        Assert.Contains(Path.Combine(Checkout, "models"), ex.Message);
        Assert.Contains(Path.Combine(App, "models"), ex.Message);
    }

    [Fact]
    public void The_shipped_models_load_from_where_it_finds_them()
    {
        var models = new ModelLocator(RepoPaths.Models);
        Assert.Equal("lexicon-vader-v2", models.LoadLexicon().Name);
        using var transformer = models.LoadTransformer();
        Assert.StartsWith("minilm", transformer.Name);
        Assert.Throws<FileNotFoundException>(() => new ModelLocator(_root.FullName).LoadLexicon());
    }
}
