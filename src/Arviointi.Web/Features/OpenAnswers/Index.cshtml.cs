using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Rounds;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Arviointi.Web.Features.OpenAnswers;

/// <summary>
/// The open answers of a round for the people responsible for them: a unit leader reads the own unit's, a director the
/// own municipality's, the coordinator any of them and may withhold an answer that names or harms someone. Shown in
/// the UI only (the PDF keeps counts), masked, in random order, without dates or any other field.
/// </summary>
[Authorize(Policy = Policies.Results)]
internal sealed class IndexModel(ResultsQueries queries, OpenAnswerReader reader) : PageModel
{
    public EvaluationRound? Round { get; private set; }

    public OpenScope? Scope { get; private set; }

    /// <summary>The scope's name: a unit's or a municipality's.</summary>
    public string? ScopeName { get; private set; }

    public IReadOnlyList<OpenQuestion> Questions { get; private set; } = [];

    /// <summary>For the coordinator without a scope chosen: every municipality and unit the round has.</summary>
    public IReadOnlyList<(string Code, string Name, IReadOnlyList<(string Id, string Name)> Units)> Choices { get; private set; } = [];

    /// <summary>Answers per question on one page: a large municipality has hundreds.</summary>
    public const int PageSize = 50;

    public bool CanWithhold => User.IsInRole(Roles.Administrator);

    /// <summary>The 1-based page of every question's answers.</summary>
    public int PageNumber { get; private set; } = 1;

    /// <summary>The reading's random order, carried from page to page.</summary>
    public int Order { get; private set; }

    public bool HasMore => Questions.Any(q => q.Texts?.Count > PageNumber * PageSize);

    public IEnumerable<OpenText> Shown(OpenQuestion question) => question.Texts?.Skip((PageNumber - 1) * PageSize).Take(PageSize) ?? [];

    public string Link(int page) =>
        $"/tulokset/{Round!.Id}/avoimet?" + (Scope!.Unit is { } unit ? $"yksikko={unit}" : $"kunta={Uri.EscapeDataString(Scope.Municipality!)}") + $"&sivu={page}&jarjestys={Order}";

    public async Task<IActionResult> OnGetAsync(int roundId, string? kunta, int? yksikko, int? sivu, int? jarjestys, CancellationToken ct)
    {
        PageNumber = Math.Max(1, sivu ?? 1);
        Order = jarjestys ?? Random.Shared.Next();
        if (await queries.LoadAsync(roundId, ct) is not { } loaded)
        {
            return NotFound();
        }

        var (round, results) = loaded;
        Round = round;
        Scope = User.IsInRole(Roles.Administrator)
            ? yksikko is not null ? new OpenScope(yksikko, null) : kunta is not null ? new OpenScope(null, kunta) : null
            : User.IsInRole(Roles.Director) ? new OpenScope(null, User.MunicipalityCode())
            : new OpenScope(User.UnitId(), null);
        var cells = results.Groups.SelectMany(g => g.Rates?.Cells ?? []).ToList();
        if (Scope is null)
        {
            Choices = [.. cells.Where(c => !c.IsUnit && c.Key != "region").DistinctBy(c => c.Key).OrderBy(c => c.Name, Shared.Names.FinnishOrder)
                .Select(m => (m.Key, m.Name, (IReadOnlyList<(string, string)>)[.. cells.Where(u => u.IsUnit && u.MunicipalityCode == m.Key).DistinctBy(u => u.Key).OrderBy(u => u.Name, Shared.Names.FinnishOrder).Select(u => (u.Key, u.Name))]))];
            return Page();
        }

        ScopeName = cells.FirstOrDefault(c => Scope.Unit is { } unit ? c.IsUnit && c.Key == $"{unit}" : !c.IsUnit && c.Key == Scope.Municipality)?.Name;
        if (ScopeName is null)
        {
            return NotFound();
        }

        if (round.State != RoundState.RawDataDeleted)
        {
            Questions = await reader.ReadAsync(roundId, results, Scope, Order, ct);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostWithholdAsync(int roundId, Guid id, string? kunta, int? yksikko, CancellationToken ct)
    {
        if (!CanWithhold)
        {
            return Forbid();
        }

        await reader.WithholdAsync(roundId, id, User.Identity!.Name!, ct);
        return Redirect($"/tulokset/{roundId}/avoimet" + (yksikko is not null ? $"?yksikko={yksikko}" : kunta is not null ? $"?kunta={Uri.EscapeDataString(kunta)}" : ""));
    }

}
