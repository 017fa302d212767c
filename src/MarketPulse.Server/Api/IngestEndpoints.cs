using System.Text.Json;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Api;

/// <summary>Example item shapes for the OpenAPI document; bodies are parsed element by element by <see cref="IngestParsing"/>.</summary>
public sealed record TickInput(string Symbol, DateTimeOffset Time, decimal Price, decimal Size, decimal? Bid, decimal? Ask, string? Source, long? Sequence);

public sealed record PostInput(string Source, string Id, DateTimeOffset Time, string Text, string[]? Symbols, string? Author);

public static class IngestEndpoints
{
    public const string RateLimitPolicy = "ingest";
    public const string DefaultTickSource = "api";

    public static RouteGroupBuilder MapIngestEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ingest")
            .WithTags("Ingest")
            .RequireRateLimiting(RateLimitPolicy);
        group.MapPost("/ticks", IngestTicksAsync)
            .Accepts<TickInput[]>("application/json")
            .WithSummary("Ingest a batch of trades; each is acknowledged once queued for its ticker.");
        group.MapPost("/posts", IngestPostsAsync)
            .Accepts<PostInput[]>("application/json")
            .WithSummary("Ingest a batch of texts (posts, headlines) for sentiment.");
        return group;
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult, ValidationProblem>> IngestTicksAsync(
        HttpRequest request, IGrainFactory grains, IOptions<MarketPulseOptions> options, CancellationToken ct)
    {
        var (root, problem) = await ReadArrayAsync(request, options.Value.Api.MaxBatchItems, ct);
        if (problem is not null) return problem;
        var parsed = IngestParsing.Ticks(root);
        var result = await DispatchAsync(parsed.Items, parsed.Rejected, t => t.Source ?? DefaultTickSource,
            (source, items) => grains.GetGrain<IMarketSourceGrain>(source).IngestTicksAsync(items));
        return Answer(result);
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult, ValidationProblem>> IngestPostsAsync(
        HttpRequest request, IGrainFactory grains, IOptions<MarketPulseOptions> options, CancellationToken ct)
    {
        var (root, problem) = await ReadArrayAsync(request, options.Value.Api.MaxBatchItems, ct);
        if (problem is not null) return problem;
        var parsed = IngestParsing.Posts(root);
        var result = await DispatchAsync(parsed.Items, parsed.Rejected, p => p.Source,
            (source, items) => grains.GetGrain<ITextSourceGrain>(source).IngestAsync(items));
        return Answer(result);
    }

    private static async Task<(JsonElement Root, ProblemHttpResult? Problem)> ReadArrayAsync(HttpRequest request, int maxItems, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return (default, TypedResults.Problem("body: send a JSON array with Content-Type: application/json", statusCode: 415, title: "Unsupported media type"));
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return (default, TypedResults.Problem($"body: not valid JSON ({ex.Message})", statusCode: 400, title: "Malformed body"));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (body size, read timeout) surface here while the body is read.
            return (default, TypedResults.Problem($"body: {ex.Message}", statusCode: ex.StatusCode, title: "Bad request body"));
        }
        var root = doc.RootElement.Clone();
        doc.Dispose();
        if (root.ValueKind != JsonValueKind.Array)
            return (default, TypedResults.Problem("body: expected a JSON array of items", statusCode: 400, title: "Malformed body"));
        var n = root.GetArrayLength();
        if (n == 0) return (default, TypedResults.Problem("body: the array is empty", statusCode: 400, title: "Empty batch"));
        if (n > maxItems)
            return (default, TypedResults.Problem($"body: at most {maxItems} items per request, got {n}", statusCode: 413, title: "Batch too large"));
        return (root, null);
    }

    /// <summary>Sends each source's items to its source grain and maps the grain's rejections back to request indexes.</summary>
    private static async Task<IngestResult> DispatchAsync<T>(List<(int Index, T Item)> items, List<Rejection> rejected,
        Func<T, string> sourceOf, Func<string, List<T>, Task<IngestResult>> ingest)
    {
        var accepted = 0;
        foreach (var group in items.GroupBy(x => sourceOf(x.Item)))
        {
            var indexes = group.Select(x => x.Index).ToList();
            var result = await ingest(group.Key, group.Select(x => x.Item).ToList());
            accepted += result.Accepted;
            rejected.AddRange(result.Rejected.Select(r => r with { Index = indexes[r.Index] }));
        }
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new IngestResult(accepted, rejected);
    }

    private static Results<Ok<IngestResult>, ProblemHttpResult, ValidationProblem> Answer(IngestResult result)
    {
        if (result.Accepted > 0 || result.Rejected.Count == 0) return TypedResults.Ok(result);
        // Nothing accepted: a 400 that names each item's field, with the same list the 200 answer would carry.
        var errors = result.Rejected
            .GroupBy(r => $"[{r.Index}].{Field(r.Reason)}")
            .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray());
        return TypedResults.ValidationProblem(errors, "No item in the batch was accepted.", title: "Invalid batch",
            extensions: new Dictionary<string, object?> { ["accepted"] = 0, ["rejected"] = result.Rejected });
    }

    private static string Field(string reason)
    {
        var colon = reason.IndexOf(':');
        return colon > 0 ? reason[..colon] : "item";
    }
}
