using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Home;

[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel;
