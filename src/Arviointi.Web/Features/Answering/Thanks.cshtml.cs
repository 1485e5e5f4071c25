using Arviointi.Surveys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.Answering;

internal sealed class ThanksModel(AnswerSession session, AnsweringService answering) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "tila")]
    public string? State { get; set; }

    /// <summary>How the group code this browser answered with stands, for the adult's "next child"; null without one.</summary>
    public CodeStatus? Group { get; private set; }

    /// <summary>The group is children answering with an adult (worded "next child"), not pupils of a class.</summary>
    public bool ChildGroup { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (session.RememberedGroup(Request) is { } codeId)
        {
            var check = await answering.CheckGroupAsync(codeId, ct);
            Group = check.Status;
            ChildGroup = check.Code?.Group == RespondentGroup.Child;
        }
    }
}
