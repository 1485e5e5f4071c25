using Arviointi.Web.Data;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Audit;

/// <summary>The audit log for administrators: who did what and when, filtered and paged, and the same rows as CSV.</summary>
[Authorize(Policy = Policies.Administrator)]
internal sealed class LogModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "toimija")]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "toiminto")]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "alkaen")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "asti")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "teksti")]
    public string? Text { get; set; }

    public AuditFilter Filter => new(Actor, Action, From, To, Text);

    [BindProperty(SupportsGet = true, Name = "sivu")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public IReadOnlyList<string> Actors { get; private set; } = [];

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages => Math.Max(1, (Total + AuditLog.PageSize - 1) / AuditLog.PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var events = AuditLog.Filtered(db, Filter);
        Total = await events.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Events = await events.Skip((PageNumber - 1) * AuditLog.PageSize).Take(AuditLog.PageSize).ToListAsync(ct);
        Actors = await db.AuditEvents.Select(e => e.Actor).Distinct().OrderBy(a => a).ToListAsync(ct);
        Actions = await db.AuditEvents.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct) =>
        !ModelState.IsValid
            ? BadRequest()
            : File(await AuditLog.CsvAsync(AuditLog.Filtered(db, Filter), ct), "text/csv; charset=utf-8", "arviointi-tapahtumaloki.csv");

    /// <summary>Query values for page <paramref name="number"/> of the same filter.</summary>
    public Dictionary<string, string> PageRoute(int number)
    {
        var values = Filter.RouteValues();
        values["sivu"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }
}
