using System.Globalization;
using System.Text;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Organisation;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Audit;

/// <summary>What an administrator filters the audit log by; every field optional. Days are Finnish calendar days.</summary>
/// <param name="Text">Free text somewhere in the details.</param>
internal sealed record AuditFilter(string? Actor, string? Action, DateOnly? From, DateOnly? To, string? Text)
{
    /// <summary>The filter as the page's query values, for links to other pages and to the CSV of the same rows.</summary>
    public Dictionary<string, string> RouteValues()
    {
        var values = new Dictionary<string, string?>
        {
            ["toimija"] = Actor,
            ["toiminto"] = Action,
            ["alkaen"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["asti"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["teksti"] = Text,
        };
        return values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Key, v => v.Value!);
    }
}

/// <summary>Reads the audit log for administrators: filtered, newest first, a page at a time or whole as CSV.</summary>
internal static class AuditLog
{
    public const int PageSize = 50;

    public static IQueryable<AuditEvent> Filtered(AppDbContext db, AuditFilter filter)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            events = events.Where(e => e.Actor == filter.Actor);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            events = events.Where(e => e.Action == filter.Action);
        }

        if (filter.From is { } from)
        {
            var start = StartOf(from);
            events = events.Where(e => e.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = StartOf(to.AddDays(1));
            events = events.Where(e => e.At < end);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            // LIKE with the wildcards of the text escaped: case-insensitive on both providers, unlike Contains on SQLite.
            var pattern = "%" + filter.Text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            events = events.Where(e => EF.Functions.Like(e.Details, pattern, "\\"));
        }

        return events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }

    /// <summary>
    /// The rows as CSV: UTF-8 with a byte order mark (so Excel reads ä and ö), times in Finnish time with their offset,
    /// and a cell that a spreadsheet would take for a formula escaped, since details carry names users typed.
    /// </summary>
    public static async Task<byte[]> CsvAsync(IQueryable<AuditEvent> events, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        await using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }))
        {
            foreach (var header in (string[])["time", "actor", "action", "details"])
            {
                csv.WriteField(header);
            }

            await csv.NextRecordAsync();
            await foreach (var e in events.AsAsyncEnumerable().WithCancellation(ct))
            {
                csv.WriteField(TimeZoneInfo.ConvertTime(e.At, Region.TimeZone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                csv.WriteField(e.Actor);
                csv.WriteField(e.Action);
                csv.WriteField(e.Details);
                await csv.NextRecordAsync();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Midnight of a Finnish day as a UTC instant (offset zero, as the stored times are, so SQLite compares them in order).</summary>
    private static DateTimeOffset StartOf(DateOnly day) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Region.TimeZone), TimeSpan.Zero);
}
