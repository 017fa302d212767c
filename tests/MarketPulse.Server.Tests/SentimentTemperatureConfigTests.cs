using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MarketPulse.Server.Tests;

/// <summary>
/// A models folder whose sentiment json has a temperature ≤ 0 leaves the service alive but not ready, like any other
/// model-config error; the same copy with a valid temperature is ready and says so in /api/models (the control: the copy
/// itself is fine, the temperature is what fails).
/// </summary>
public sealed class SentimentTemperatureConfigTests(SentimentTemperatureConfigTests.BadTemperatureServer bad, SentimentTemperatureConfigTests.GoodTemperatureServer good)
    : IClassFixture<SentimentTemperatureConfigTests.BadTemperatureServer>, IClassFixture<SentimentTemperatureConfigTests.GoodTemperatureServer>
{
    public sealed class BadTemperatureServer : ServerFixture, IDisposable
    {
        private readonly string _models = CopyWithTemperature(0);

        protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=false", $"--MarketPulse:Models:Path={_models}"];

        /// <summary>xUnit calls this after the server's DisposeAsync: the copied models go once the server has stopped.</summary>
        public void Dispose() => Directory.Delete(_models, recursive: true);
    }

    public sealed class GoodTemperatureServer : ServerFixture, IDisposable
    {
        private readonly string _models = CopyWithTemperature(2);

        protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=false", $"--MarketPulse:Models:Path={_models}"];

        /// <summary>xUnit calls this after the server's DisposeAsync: the copied models go once the server has stopped.</summary>
        public void Dispose() => Directory.Delete(_models, recursive: true);
    }

    /// <summary>The repository's models folder copied to a temporary folder, its sentiment json given <paramref name="temperature"/>.</summary>
    private static string CopyWithTemperature(double temperature)
    {
        var source = RepoPaths.Models;
        var dir = Directory.CreateTempSubdirectory("mp-temperature-models-").FullName;
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var path = Path.Combine(dir, "sentiment-minilm.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["temperature"] = temperature;
        File.WriteAllText(path, json.ToJsonString());
        return dir;
    }

    [Fact]
    public async Task A_zero_temperature_leaves_the_silo_live_but_not_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await bad.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await bad.Http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_valid_temperature_is_served_and_described()
    {
        Assert.Equal(HttpStatusCode.OK, (await good.Http.GetAsync("/health/ready")).StatusCode);
        var models = await good.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/models");
        var sentiment = models.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "sentiment");
        Assert.Contains("temperature-calibrated (T = 2,", sentiment.GetProperty("description").GetString());
        Assert.Equal("minilm-l6-phrasebank-v2", sentiment.GetProperty("version").GetString());
    }
}
