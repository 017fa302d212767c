using System.Net;
using System.Text.Json.Nodes;

namespace MarketPulse.Server.Tests;

/// <summary>A models folder whose sentiment json has a temperature ≤ 0 leaves the service alive but not ready, like any other model-config error.</summary>
public sealed class SentimentTemperatureConfigTests(SentimentTemperatureConfigTests.BadTemperatureServer server)
    : IClassFixture<SentimentTemperatureConfigTests.BadTemperatureServer>
{
    public sealed class BadTemperatureServer : ServerFixture
    {
        private readonly string _models = CopyWithTemperature(0);

        protected override IEnumerable<string> ExtraArgs() => ["--MarketPulse:Replay:Enabled=false", $"--MarketPulse:Models:Path={_models}"];

        /// <summary>The repository's models folder copied, its sentiment json given <paramref name="temperature"/>.</summary>
        private static string CopyWithTemperature(double temperature)
        {
            var source = FindModels();
            var dir = Directory.CreateTempSubdirectory("mp-bad-temperature-").FullName;
            foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            var path = Path.Combine(dir, "sentiment-minilm.json");
            var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            json["temperature"] = temperature;
            File.WriteAllText(path, json.ToJsonString());
            return dir;
        }

        private static string FindModels()
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "MarketPulse.sln"))) return Path.Combine(d.FullName, "models");
            throw new DirectoryNotFoundException("repository root (MarketPulse.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public async Task The_silo_is_live_but_not_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Http.GetAsync("/health/ready")).StatusCode);
    }
}
