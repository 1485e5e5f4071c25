using System.Security.Claims;
using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Tokens;

/// <summary>
/// Personal API tokens: an analyst or administrator makes one for a script, sees it once, and lists and revokes their
/// own; an administrator also lists and revokes everyone's.
/// </summary>
[Authorize(Policy = Policies.Analyst)]
internal sealed class IndexModel(ApiTokens tokens, TimeProvider time) : PageModel
{
    private const string RevokedNotice = "Tunnus peruttiin. Sillä ei voi enää ladata aineistoja.";

    /// <summary>The page's texts made in code (messages and states), each a key of the UI texts.</summary>
    public static IReadOnlyList<string> TextsMadeInCode =>
        [ApiTokens.NameMissing, ApiTokens.NameTooLong, ApiTokens.DaysOutOfRange, RevokedNotice, "Peruttu", "Vanhentunut", "Voimassa"];

    public IReadOnlyList<TokenRow> Own { get; private set; } = [];

    /// <summary>Every user's tokens, for an administrator; empty for an analyst.</summary>
    public IReadOnlyList<TokenRow> Everyone { get; private set; } = [];

    public bool IsAdministrator => User.IsInRole(Roles.Administrator);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The token just made: shown on this response only, never again.</summary>
    public string? NewToken { get; private set; }

    public string? Error { get; private set; }

    public string? Notice { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public int? Days { get; set; } = ApiTokens.DefaultDays;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        (NewToken, Error) = await tokens.CreateAsync(UserId, User.Identity!.Name!, Name, Days, ct);
        if (NewToken is not null)
        {
            Name = null;
            Days = ApiTokens.DefaultDays;
        }

        // The token is in this page alone: no cache may keep a copy.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        if (!await tokens.RevokeAsync(id, IsAdministrator ? null : UserId, User.Identity!.Name!, ct))
        {
            return NotFound();
        }

        Notice = RevokedNotice;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Own = await tokens.ListAsync(UserId, ct);
        Everyone = IsAdministrator ? await tokens.ListAsync(null, ct) : [];
    }
}
