using System.Globalization;
using System.Text;
using Arviointi.Web.Features.Identity;
using Arviointi.Web.Features.Organisation;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;

namespace Arviointi.Web.Features.Notifications;

/// <summary>The plain-text messages, in Finnish; counts under five are written "&lt; 5" as on every page.</summary>
internal static class MailTexts
{
    private static readonly CultureInfo Finnish = CultureInfo.GetCultureInfo("fi");

    public static string ReminderSubject(EvaluationRound round, Unit unit) =>
        $"Muistutus: {unit.Name} – arviointikyselyn vastausaste ({Names.Of(round.Sector).ToLower(Finnish)} {round.Year})";

    public static string Reminder(EvaluationRound round, AppUser leader, UnitStatus unit, double threshold, string baseUrl)
    {
        var text = new StringBuilder();
        text.AppendLine(Finnish, $"Hei {leader.DisplayName},").AppendLine();
        text.AppendLine(Finnish, $"{Genitive(round)} arviointikysely {round.Year} on auki {Region.LocalText(round.ClosesAt)} asti (Suomen aikaa).");
        text.AppendLine(Finnish, $"Yksikössä {unit.Unit.Name} vastausaste on jossakin vastaajaryhmässä alle {Percent(threshold)}:").AppendLine();
        AppendRows(text, unit.Rows, threshold);
        text.AppendLine();
        text.AppendLine("Muistuttakaa vastaajia: jokainen vastaus tekee tuloksista luotettavampia, ja vastaaminen on nimetöntä.");
        text.AppendLine("Käyttämättömät vastauskoodit ovat yksikön koodierässä; uusia voi tilata koordinaattorilta.").AppendLine();
        text.AppendLine(Finnish, $"Vastausasteen seuranta: {baseUrl}/vastausaste?kierros={round.Id}");
        return Footer(text);
    }

    public static string DigestSubject(EvaluationRound round, Municipality municipality) =>
        $"Vastausasteet: {municipality.NameFi} – arviointikysely ({Names.Of(round.Sector).ToLower(Finnish)} {round.Year})";

    public static string Digest(EvaluationRound round, AppUser director, IReadOnlyList<UnitStatus> units, double threshold, string baseUrl)
    {
        var below = units.Count(u => u.NeedsReminder(threshold));
        var text = new StringBuilder();
        text.AppendLine(Finnish, $"Hei {director.DisplayName},").AppendLine();
        text.AppendLine(Finnish, $"{Genitive(round)} arviointikysely {round.Year} on auki {Region.LocalText(round.ClosesAt)} asti (Suomen aikaa).");
        text.AppendLine(Finnish, $"Kunnan {units.Count} yksiköstä {below} on jossakin vastaajaryhmässä alle {Percent(threshold)}; niiden johtajia on muistutettu. Pienen yksikön vastausmäärä on piilotettu, kuten vastausasteen sivulla.").AppendLine();
        foreach (var unit in units.OrderBy(u => u.NeedsReminder(threshold) ? 0 : 1).ThenBy(u => u.Unit.Name, StringComparer.Ordinal))
        {
            text.AppendLine(Finnish, $"{unit.Unit.Name}{(unit.Rows.Any(r => r.Below(threshold)) ? " – ALLE RAJAN" : "")}");
            AppendRows(text, unit.Rows, threshold);
        }

        text.AppendLine();
        text.AppendLine(Finnish, $"Vastausasteen seuranta: {baseUrl}/vastausaste?kierros={round.Id}");
        return Footer(text);
    }

    public static string PublishedSubject(EvaluationRound round) =>
        $"Arvioinnin tulokset julkaistu ({Names.Of(round.Sector).ToLower(Finnish)} {round.Year})";

    public static string Published(EvaluationRound round, AppUser director, string baseUrl)
    {
        var text = new StringBuilder();
        text.AppendLine(Finnish, $"Hei {director.DisplayName},").AppendLine();
        text.AppendLine(Finnish, $"{Genitive(round)} arviointikyselyn {round.Year} tulokset on julkaistu {Region.LocalText(round.PublishAt)}.");
        text.AppendLine(Finnish, $"Painopiste: {round.FocusTheme}").AppendLine();
        text.AppendLine(Finnish, $"Kuntien vertailu ja oman kunnan yksiköt: {baseUrl}/tulokset/{round.Id}");
        text.AppendLine(Finnish, $"Vastaajatason raakadata poistetaan {Region.LocalText(round.DeleteRawDataAt)}; tulokset säilyvät.");
        return Footer(text);
    }

    private static void AppendRows(StringBuilder text, IReadOnlyList<RateRow> rows, double threshold)
    {
        foreach (var row in rows)
        {
            var rate = row.Rate is { } r ? $" ({Percent(r)})" : "";
            var flag = row.Below(threshold) ? " – alle rajan" : "";
            var responses = row.Responses is { } count ? count.ToString("N0", Finnish) : "piilotettu";
            text.AppendLine(Finnish, $"  - {Names.Of(row.Group)}: {responses} / {RateRow.ShowEnrolment(row.Enrolment!.Value)} vastausta{rate}{flag}");
        }
    }

    private static string Genitive(EvaluationRound round) => round.Sector == Arviointi.Surveys.Sector.Ecec ? "Varhaiskasvatuksen" : "Esi- ja perusopetuksen";

    private static string Percent(double share) => share.ToString("0 %", Finnish);

    private static string Footer(StringBuilder text) =>
        text.AppendLine().AppendLine("Tämä on Arviointi-palvelun automaattinen viesti. Muistutuksia lähetetään kierroksen aikana enintään kolme.").ToString();
}
