using System.Globalization;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Validation;
using Microsoft.VisualBasic.FileIO;

namespace MarketPulse.Ingestion.Text;

public sealed record BenzingaRowRejection(long Line, string Reason);

/// <summary>
/// Benzinga headlines in the Kaggle "analyst_ratings_processed.csv" layout (<c>,title,date,stock</c>; date ISO-8601 with
/// the US/Eastern offset) as <see cref="TextPost"/>s of source <c>benzinga</c>, ready for a text source grain. Quoting is
/// parsed by the BCL's <see cref="TextFieldParser"/>; every row that cannot become a post is reported, none is dropped silently.
/// </summary>
public static class BenzingaCsvReader
{
    public const string Source = "benzinga";

    public static IEnumerable<TextPost> Read(string path, Action<BenzingaRowRejection> reject)
    {
        using var reader = new StreamReader(path);
        foreach (var post in Read(reader, reject)) yield return post;
    }

    public static IEnumerable<TextPost> Read(TextReader reader, Action<BenzingaRowRejection> reject)
    {
        ArgumentNullException.ThrowIfNull(reject);
        using var parser = new TextFieldParser(reader) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields();
        if (header is null) yield break;
        if (header.Length < 4 || header[1] != "title" || header[2] != "date" || header[3] != "stock")
            throw new InvalidDataException($"not a Benzinga headlines file: header is '{string.Join(",", header)}', expected ',title,date,stock'");
        while (!parser.EndOfData)
        {
            var line = parser.LineNumber;
            string[]? fields;
            try { fields = parser.ReadFields(); }
            catch (MalformedLineException ex)
            {
                reject(new BenzingaRowRejection(ex.LineNumber, "csv: malformed quoting"));
                continue;
            }
            if (fields is null) continue;
            if (fields.Length != 4) { reject(new(line, $"csv: {fields.Length} fields, expected 4")); continue; }
            var (id, title, date, stock) = (fields[0], fields[1], fields[2], fields[3]);
            if (string.IsNullOrWhiteSpace(title)) { reject(new(line, RejectReasons.Text)); continue; }
            if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) { reject(new(line, RejectReasons.Time)); continue; }
            if (Symbols.Normalize(stock) is not { } symbol) { reject(new(line, RejectReasons.Symbol)); continue; }
            yield return new TextPost(Source, string.IsNullOrWhiteSpace(id) ? $"line-{line}" : id, time.UtcDateTime, title, [symbol]);
        }
    }
}
