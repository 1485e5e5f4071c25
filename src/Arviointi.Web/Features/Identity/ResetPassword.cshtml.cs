using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Identity;

/// <summary>The person chooses a new password through the mailed reset link; every other session of theirs ends.</summary>
[AllowAnonymous]
internal sealed class ResetPasswordModel(PasswordResets resets) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "kayttaja")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "koodi")]
    public string? Token { get; set; }

    public AppUser? Person { get; private set; }

    public bool Done { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        AccountLinks.KeepTokenPrivate(Response);
        Person = await resets.LinkedAsync(UserId, Token);
        return Result();
    }

    public async Task<IActionResult> OnPostAsync(string? password, string? confirmPassword, CancellationToken ct)
    {
        AccountLinks.KeepTokenPrivate(Response);
        Person = await resets.LinkedAsync(UserId, Token);
        var errors = Person is null ? null : await resets.ResetAsync(UserId, Token, password, confirmPassword, ct);
        if (errors is null)
        {
            Person = null;
        }
        else
        {
            Errors = errors;
            Done = errors.Count == 0;
        }

        return Result();
    }

    private PageResult Result()
    {
        if (Person is null)
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
