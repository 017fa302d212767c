using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Grains.Alerts;
using MarketPulse.Ingestion.Validation;
using MarketPulse.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Api;

/// <summary>The body of <c>POST /api/alerts</c> (documented shape; parsed field by field for precise errors).</summary>
public sealed record AlertInput(string Symbol, string Kind, double? Threshold, string? WebhookUrl, string? Name);

/// <summary>A rule as the API shows it.</summary>
/// <param name="WebhookSecret">Only in the answer that creates a rule with a webhook: the key of its deliveries' signatures, shown this once.</param>
public sealed record AlertResponse(
    string Id, string Symbol, string Kind, double? Threshold, string? WebhookUrl, string? Name, string Owner,
    DateTime CreatedAt, long TimesFired, DateTime? LastFiredAt, double? LastValue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WebhookSecret = null)
{
    public static AlertResponse From(AlertRuleStatus s) => new(s.Rule.Id, s.Rule.Symbol, s.Rule.Kind, s.Rule.Threshold, s.Rule.WebhookUrl,
        s.Rule.Name, s.Rule.Owner, s.Rule.CreatedAtUtc, s.TimesFired, s.LastFiredAtUtc, s.LastValue);
}

public static class AlertEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxWebhookUrlLength = 2000;
    private static readonly HashSet<string> Fields = ["symbol", "kind", "threshold", "webhookUrl", "name"];

    public static RouteGroupBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts");
        group.MapGet("/", ListAsync).WithSummary("The caller's alert rules (an admin sees everyone's), optionally of one symbol, with how often each fired.");
        group.MapGet("/{id}", GetAsync).WithSummary("One alert rule (404 when it is another principal's).");
        group.MapPost("/", CreateAsync)
            .Accepts<AlertInput>("application/json")
            .WithSummary("Create a rule: price-above/below or sentiment-above/below a threshold, expected-move-above (percent) or volume-spike (ratio), or prediction-flip; optional webhook (https, public address; deliveries signed with the webhookSecret returned once).");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a rule (404 when it is another principal's).");
        return group;
    }

    private static async Task<Results<Ok<List<AlertResponse>>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, IGrainFactory grains, string? symbol)
    {
        string? s = null;
        if (symbol is not null && (s = Symbols.Normalize(symbol)) is null)
            return TypedResults.Problem($"symbol: '{symbol}' is not a well-formed ticker symbol", statusCode: 400, title: "Invalid request",
                extensions: new Dictionary<string, object?> { ["field"] = "symbol" });
        var list = await grains.GetGrain<IAlertDirectoryGrain>(0).ListAsync(s);
        return TypedResults.Ok(list.Where(r => Visible(user, r)).Select(AlertResponse.From).ToList());
    }

    private static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var status = await grains.GetGrain<IAlertDirectoryGrain>(0).GetAsync(id);
        return status is null || !Visible(user, status) ? NotFound(id) : TypedResults.Ok(AlertResponse.From(status));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var directory = grains.GetGrain<IAlertDirectoryGrain>(0);
        // Another principal's rule is answered exactly like a missing one, so ids cannot be probed.
        if (await directory.GetAsync(id) is not { } status || !Visible(user, status)) return NotFound(id);
        return await directory.RemoveAsync(id) ? TypedResults.NoContent() : NotFound(id);
    }

    private static bool Visible(ClaimsPrincipal user, AlertRuleStatus status) =>
        Principals.IsAdmin(user) || string.Equals(status.Rule.Owner, Principals.IdOf(user), StringComparison.Ordinal);

    private static async Task<Results<Created<AlertResponse>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<AlertOptions> alertOptions, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            return TypedResults.Problem("body: send a JSON object with Content-Type: application/json", statusCode: 415, title: "Unsupported media type");
        JsonElement root;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem($"body: not valid JSON ({ex.Message})", statusCode: 400, title: "Malformed body");
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem($"body: {ex.Message}", statusCode: ex.StatusCode, title: "Bad request body");
        }
        AlertRule? rule;
        Dictionary<string, string[]> errors;
        try
        {
            (rule, errors) = Parse(root, Principals.IdOf(user) ?? "unknown", alertOptions.Value);
        }
        catch (InvalidOperationException)
        {
            // The JSON reader checks a string's UTF-8 only when it is read.
            return TypedResults.Problem("body: a string is not valid UTF-8", statusCode: 400, title: "Malformed body");
        }
        if (rule is null) return TypedResults.ValidationProblem(errors, "The alert rule is not valid.", title: "Invalid alert rule");

        var result = await grains.GetGrain<IAlertDirectoryGrain>(0).AddAsync(rule);
        if (result.Added is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rule"] = [result.Error ?? "not added"] },
                "The alert rule was not added.", title: "Invalid alert rule");
        return TypedResults.Created($"/api/alerts/{rule.Id}", AlertResponse.From(result.Added) with { WebhookSecret = rule.WebhookSecret });
    }

    /// <summary>Validates a rule body; every problem is reported under its field.</summary>
    public static (AlertRule? Rule, Dictionary<string, string[]> Errors) Parse(JsonElement root, string owner, AlertOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("body", "expected a JSON object");
            return (null, errors);
        }
        foreach (var p in root.EnumerateObject())
            if (!Fields.Contains(p.Name)) Error(p.Name, $"unknown field (expected {string.Join(", ", Fields)})");

        string? symbol = null;
        if (!root.TryGetProperty("symbol", out var sym) || sym.ValueKind != JsonValueKind.String) Error("symbol", "required string");
        else if ((symbol = Symbols.Normalize(sym.GetString()!)) is null) Error("symbol", $"'{sym.GetString()}' is not a well-formed ticker symbol");

        string? kind = null;
        if (!root.TryGetProperty("kind", out var k) || k.ValueKind != JsonValueKind.String) Error("kind", $"required, one of {string.Join(", ", AlertKinds.All)}");
        else if ((kind = AlertKinds.All.FirstOrDefault(x => string.Equals(x, k.GetString(), StringComparison.OrdinalIgnoreCase))) is null)
            Error("kind", $"'{k.GetString()}' is not one of {string.Join(", ", AlertKinds.All)}");

        double? threshold = null;
        var hasThreshold = root.TryGetProperty("threshold", out var t) && t.ValueKind != JsonValueKind.Null;
        if (kind is not null && AlertKinds.HasThreshold(kind))
        {
            if (!hasThreshold || t.ValueKind != JsonValueKind.Number || !t.TryGetDouble(out var v) || !double.IsFinite(v))
                Error("threshold", $"required number for {kind}");
            else if (kind.StartsWith("price", StringComparison.Ordinal) && v <= 0) Error("threshold", "a price threshold must be positive");
            else if (kind.StartsWith("sentiment", StringComparison.Ordinal) && v is < -1 or > 1) Error("threshold", "a sentiment threshold lies in [-1, 1]");
            else if (kind == AlertKinds.ExpectedMoveAbove && v is <= 0 or > 100) Error("threshold", "an expected-move threshold is a percentage in (0, 100]");
            else if (kind == AlertKinds.VolumeSpike && v <= 0) Error("threshold", "a volume-spike threshold is a positive ratio to the 22-day mean volume");
            else threshold = v;
        }
        else if (kind is not null && hasThreshold) Error("threshold", $"{kind} takes no threshold");

        string? webhook = null;
        if (root.TryGetProperty("webhookUrl", out var w) && w.ValueKind != JsonValueKind.Null)
        {
            if (w.ValueKind != JsonValueKind.String || w.GetString()!.Length > MaxWebhookUrlLength)
                Error("webhookUrl", $"must be an absolute http or https URL without credentials, at most {MaxWebhookUrlLength} characters");
            else if (WebhookTargets.Check(w.GetString(), options) is { } why) Error("webhookUrl", why);
            else webhook = new Uri(w.GetString()!).AbsoluteUri;
        }

        string? name = null;
        if (root.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind != JsonValueKind.String || n.GetString()!.Length > MaxNameLength) Error("name", $"must be a string of at most {MaxNameLength} characters");
            else name = n.GetString();
        }

        if (errors.Count > 0 || symbol is null || kind is null) return (null, errors);
        return (new AlertRule(Guid.NewGuid().ToString("n")[..12], symbol, kind, threshold, webhook, name, owner, DateTime.UtcNow,
            webhook is null ? null : WebhookTargets.NewSecret()), errors);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"No alert rule with id '{id}'.", statusCode: 404, title: "Unknown alert rule");
}
