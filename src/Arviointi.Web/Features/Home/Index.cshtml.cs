using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Home;

internal sealed class IndexModel : PageModel;
