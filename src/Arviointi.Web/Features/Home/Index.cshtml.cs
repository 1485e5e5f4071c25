using Arviointi.Web.Features.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Home;

internal sealed class IndexModel(AdminWarnings warnings) : PageModel
{
    public IReadOnlyList<AdminWarning> Warnings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.IsInRole(Roles.Administrator))
        {
            Warnings = await warnings.ListAsync(ct);
        }
    }
}
