using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>The invited person chooses a first password through the mailed link, then signs in as anyone does.</summary>
[AllowAnonymous]
internal sealed class InvitationModel(Invitations invitations) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "kayttaja")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "koodi")]
    public string? Token { get; set; }

    public AppUser? Invited { get; private set; }

    public bool Done { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        AccountLinks.KeepTokenPrivate(Response);
        Invited = await invitations.InvitedAsync(UserId, Token);
        return Result();
    }

    public async Task<IActionResult> OnPostAsync(string? password, string? confirmPassword, CancellationToken ct)
    {
        AccountLinks.KeepTokenPrivate(Response);
        Invited = await invitations.InvitedAsync(UserId, Token);
        var errors = Invited is null ? null : await invitations.AcceptAsync(UserId, Token, password, confirmPassword, ct);
        if (errors is null)
        {
            Invited = null;
        }
        else
        {
            Errors = errors;
            Done = errors.Count == 0;
        }

        return Result();
    }

    // An expired, used or forged link is the person's ordinary situation, explained on the page, not an error page.
    private PageResult Result()
    {
        if (Invited is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }
}
