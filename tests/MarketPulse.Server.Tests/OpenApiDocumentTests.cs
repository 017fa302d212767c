using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarketPulse.Server.Tests;

/// <summary>
/// The SPA's wire types are generated from a checked-in copy of the running service's OpenAPI document
/// (<c>src/MarketPulse.Web/openapi/v1.json</c>; the SPA's own test checks the generated file against it). This test
/// fails when the service's document and that copy disagree; <c>MARKETPULSE_UPDATE_OPENAPI=1</c> rewrites the copy.
/// </summary>
public class OpenApiDocumentTests(QuietServerFixture server) : IClassFixture<QuietServerFixture>
{
    public const string UpdateVariable = "MARKETPULSE_UPDATE_OPENAPI";

    private static readonly string CheckedIn = RepoPaths.Path("src", "MarketPulse.Web", "openapi", "v1.json");

    [Fact]
    public async Task The_checked_in_document_is_the_one_the_service_serves()
    {
        var served = Normalise(JsonNode.Parse(await server.Http.GetStringAsync("/openapi/v1.json"))!);
        if (Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CheckedIn)!);
            await File.WriteAllTextAsync(CheckedIn, served.ToJsonString(Written) + "\n");
        }
        Assert.True(File.Exists(CheckedIn), $"{CheckedIn} is missing. {HowToRegenerate}");
        var copy = Normalise(JsonNode.Parse(await File.ReadAllTextAsync(CheckedIn))!);
        if (!JsonNode.DeepEquals(served, copy))
            Assert.Fail($"The service's /openapi/v1.json differs from {CheckedIn} at {FirstDifference(served, copy, "")}. {HowToRegenerate}");
    }

    [Fact]
    public async Task Numbers_are_numbers_and_nullable_only_where_the_service_may_write_null()
    {
        var schemas = JsonNode.Parse(await server.Http.GetStringAsync("/openapi/v1.json"))!["components"]!["schemas"]!;
        var summary = schemas["TickerSummary"]!;
        Assert.Equal("""["null","number"]""", summary["properties"]!["lastPrice"]!["type"]!.ToJsonString());
        Assert.Equal("\"integer\"", summary["properties"]!["ticksApplied"]!["type"]!.ToJsonString());
        // Written always, though declared with a default: required, and nullable.
        Assert.Contains("expectedMove80", summary["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("\"number\"", schemas["BarDto"]!["properties"]!["close"]!["type"]!.ToJsonString());
        // Written only when set: optional.
        Assert.DoesNotContain("webhookSecret", schemas["AlertResponse"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        // A request body: the optional fields are not required.
        Assert.Equal(["symbol", "time", "price", "size"], schemas["TickInput"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    private static string HowToRegenerate =>
        $"Regenerate it and the SPA's wire types: {UpdateVariable}=1 dotnet test tests/MarketPulse.Server.Tests -c Release "
        + "--filter FullyQualifiedName~OpenApiDocumentTests, then npm run gen:api in src/MarketPulse.Web.";

    private static readonly JsonSerializerOptions Written = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Without <c>servers</c>: the address the service happened to listen on.</summary>
    private static JsonNode Normalise(JsonNode document)
    {
        document.AsObject().Remove("servers");
        return document;
    }

    /// <summary>The JSON pointer of the first place where two documents differ, for the failure message.</summary>
    private static string FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                    if (!JsonNode.DeepEquals(x[key], y[key])) return FirstDifference(x[key], y[key], $"{path}/{key}");
                return path;
            case (JsonArray x, JsonArray y) when x.Count == y.Count:
                for (var i = 0; i < x.Count; i++)
                    if (!JsonNode.DeepEquals(x[i], y[i])) return FirstDifference(x[i], y[i], $"{path}/{i}");
                return path;
            default:
                return $"{(path == "" ? "/" : path)} (served {Short(a)}, checked in {Short(b)})";
        }
    }

    private static string Short(JsonNode? node) => node?.ToJsonString() is { } s ? s.Length > 200 ? s[..200] + "…" : s : "nothing";
}
