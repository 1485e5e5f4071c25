using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.OpenAnswers;

/// <summary>An open answer as a reader sees it: masked, with the id the coordinator withholds it by.</summary>
internal sealed record OpenText(Guid Id, string Masked);

/// <summary>One open question and, where the rules show them, its answers in random order.</summary>
/// <param name="Texts">Null when fewer than ten answered (or the scope's respondents are hidden).</param>
/// <param name="SmallUnitsLeftOut">A municipality's list without the answers of its small units (see <see cref="OpenAnswerRules"/>).</param>
internal sealed record OpenQuestion(RespondentGroup Group, string ItemId, IReadOnlyDictionary<string, string> Text, IReadOnlyList<OpenText>? Texts, bool SmallUnitsLeftOut = false);

/// <summary>Where a reader looks: one unit, or one municipality.</summary>
internal sealed record OpenScope(int? Unit, string? Municipality);

/// <summary>
/// Reads a round's open answers for a unit or a municipality under <see cref="OpenAnswerRules"/>, masked by
/// <see cref="Masking"/>, in the random order the reader drew (a fresh one for each reading) and without dates or any
/// other field.
/// </summary>
internal sealed class OpenAnswerReader(AppDbContext db, SurveyCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<OpenQuestion>> ReadAsync(int roundId, RoundResults results, OpenScope scope, int order, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(scope);
        var counts = await CountAsync(db, roundId, ct);
        var municipalityOf = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.MunicipalityCode, ct);
        var questions = new List<OpenQuestion>();
        foreach (var group in results.Groups)
        {
            var version = await db.SurveyVersions.AsNoTracking().FirstAsync(v => v.Id == group.SurveyVersionId, ct);
            var (shownUnits, shownMunicipalities) = OpenAnswerRules.Shown(group);
            foreach (var item in catalog.Definition(version).Items.Where(i => i.Type == ItemType.Text))
            {
                var answered = counts.Where(c => c.Group == group.Group && c.ItemId == item.Id).ToList();
                var decision = OpenAnswerRules.Decide([.. answered.Select(c => new OpenCount(c.Unit, c.Municipality, c.Answers, shownUnits.Contains(c.Unit)))], shownMunicipalities);
                var (units, partial) = Allowed(decision, scope, municipalityOf, answered.Select(c => int.Parse(c.Unit, CultureInfo.InvariantCulture)));
                var texts = units is null ? null : await TextsAsync(roundId, group.Group, item.Id, units, order, ct);
                questions.Add(new OpenQuestion(group.Group, item.Id, item.Text.Values, texts, partial));
            }
        }

        return questions;
    }

    /// <summary>Every unit's number of answers to each open question of a round, withheld ones included (the rule's and the audit's counts).</summary>
    public static async Task<IReadOnlyList<OpenAnswered>> CountAsync(AppDbContext db, int roundId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = await (from t in db.OpenTextAnswers
                            join r in db.Responses on t.ResponseId equals r.Id
                            join u in db.Units on r.UnitId equals u.Id
                            where r.RoundId == roundId
                            group t by new { r.Group, t.ItemId, r.UnitId, u.MunicipalityCode } into g
                            select new { g.Key.Group, g.Key.ItemId, g.Key.UnitId, g.Key.MunicipalityCode, Count = g.Count() }).ToListAsync(ct);
        return [.. counts.Select(c => new OpenAnswered(c.Group, c.ItemId, Key(c.UnitId), c.MunicipalityCode, c.Count))];
    }

    /// <summary>Withholds one answer from every reader, for good; the audit names the round and question, never the text.</summary>
    public async Task<bool> WithholdAsync(int roundId, Guid id, string actor, CancellationToken ct)
    {
        var found = await (from t in db.OpenTextAnswers
                           join r in db.Responses on t.ResponseId equals r.Id
                           where t.Id == id && r.RoundId == roundId
                           select t).FirstOrDefaultAsync(ct);
        if (found is null || found.Withheld)
        {
            return false;
        }

        found.Withheld = true;
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = "opentext.withheld", Details = $"Kierroksen {roundId} avoin vastaus kysymykseen {found.ItemId} piilotettiin" });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string Key(int unitId) => unitId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The units whose answers the scope's list holds; null when it shows none.</summary>
    private static (IReadOnlyList<int>? Units, bool Partial) Allowed(OpenDecision decision, OpenScope scope, Dictionary<int, string> municipalityOf, IEnumerable<int> answered)
    {
        if (scope.Unit is { } unit)
        {
            return decision.Units.Contains(Key(unit)) ? ([unit], false) : (null, false);
        }

        if (scope.Municipality is { } code && decision.Municipalities.TryGetValue(code, out var holds))
        {
            var all = answered.Where(u => municipalityOf.GetValueOrDefault(u) == code).ToList();
            var listed = all.Where(u => holds.Contains(Key(u))).ToList();
            return (listed, listed.Count < all.Count);
        }

        return (null, false);
    }

    private async Task<IReadOnlyList<OpenText>> TextsAsync(int roundId, RespondentGroup respondents, string itemId, IReadOnlyList<int> units, int order, CancellationToken ct)
    {
        var texts = await (from t in db.OpenTextAnswers
                           join r in db.Responses on t.ResponseId equals r.Id
                           where r.RoundId == roundId && r.Group == respondents && t.ItemId == itemId && units.Contains(r.UnitId) && !t.Withheld
                           select new { t.Id, t.Text }).ToListAsync(ct);
        // Shuffled by the reader's own random order, so that the pages of one reading follow each other; sorted first, so
        // that the order owes nothing to how the rows lie in the file.
        var shown = texts.OrderBy(t => t.Id).Select(t => new OpenText(t.Id, Masking.Mask(t.Text))).ToArray();
        new Random(order).Shuffle(shown);
        return shown;
    }
}
