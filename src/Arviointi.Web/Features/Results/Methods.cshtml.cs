using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Results;

/// <summary>How the figures are made: the statistics vocabulary kept off the pages directors read first.</summary>
[Authorize(Policy = Identity.Policies.Results)]
internal sealed class MethodsModel : PageModel
{
}
