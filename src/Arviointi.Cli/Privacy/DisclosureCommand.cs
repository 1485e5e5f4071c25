using System.CommandLine;
using System.Globalization;
using Arviointi.Web.Features.Results.Publication;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Cli.Privacy;

/// <summary>
/// <c>arviointi disclosure audit --round N</c>: reads a round's stored results as every kind of viewer can fetch them and
/// solves for the hidden counts as an attacker would (linear and integer programs), printing for each viewer how many
/// cells are hidden and the narrowest range any small hidden count can be pinned to. Exit code 1 when one can be
/// narrowed below five, so a coordinator can run it before publishing (docs/privacy.md).
/// </summary>
internal static class DisclosureCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var round = new Option<int>("--round") { Description = "Kierroksen tunnus.", Required = true };
        var database = new Option<string?>("--database") { Description = "SQLite-tietokanta (oletus: src/Arviointi.Web/data/arviointi.db)." };
        var sqlServer = new Option<string?>("--sql-server") { Description = "SQL Server -yhteysmerkkijono SQLite-tiedoston sijaan." };
        var everyUnit = new Option<bool>("--every-unit") { Description = "Tarkasta jokaisen yksikön johtajan näkymä (oletuksena kunkin kunnan pienimmän yksikön)." };
        var audit = new Command("audit", "Tarkastaa, ettei mikään katsoja voi päätellä piilotettua lukua julkaistuista luvuista alle viiden tarkkuudella.")
        {
            round,
            database,
            sqlServer,
            everyUnit,
        };
        audit.SetAction(parseResult => Run(parseResult.GetRequiredValue(round), parseResult.GetValue(database), parseResult.GetValue(sqlServer), parseResult.GetValue(everyUnit), stdout, stderr));
        return new Command("disclosure", "Tietosuojan tarkastus: piilotettujen lukujen päättelyn yritys kaikesta, mitä kukin katsoja näkee.") { audit };
    }

    private static int Run(int roundId, string? database, string? sqlServer, bool everyUnit, TextWriter stdout, TextWriter stderr)
    {
        database ??= sqlServer is null ? Path.Combine("src", "Arviointi.Web", "data", "arviointi.db") : null;
        if (database is not null && !File.Exists(database))
        {
            stderr.WriteLine($"{database}: tietokantaa ei löydy (anna --database tai --sql-server).");
            return ExitCodes.Failure;
        }

        using var services = OfflineServices.Create(database, sqlServer);
        using var scope = services.CreateScope();
        IReadOnlyList<ViewerAudit> audits;
        try
        {
            audits = scope.ServiceProvider.GetRequiredService<DisclosureAuditor>().AuditAsync(roundId, everyUnit).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Failure;
        }

        var fi = CultureInfo.GetCultureInfo("fi");
        stdout.WriteLine($"Kierros {roundId}: piilotettujen lukujen päättely (pienin sallittu vaihteluväli 5)");
        stdout.WriteLine("katsoja\tpiilotettuja soluja\tsuojattavia\tkapein n-väli\tkapein vastausmäärän väli (> 0)\tpaljastuu\taika (s)");
        foreach (var audit in audits)
        {
            var report = audit.Report;
            stdout.WriteLine(string.Join('\t',
                audit.Viewer.ToString(),
                report.HiddenCells.ToString(fi),
                report.ProtectedCells.ToString(fi),
                Width(report.NarrowestSize, fi),
                Width(report.NarrowestCount, fi),
                report.Disclosed.Count.ToString(fi),
                report.Elapsed.TotalSeconds.ToString("0.0", fi)));
            foreach (var disclosed in report.Disclosed.Take(10))
            {
                stdout.WriteLine($"  ! {disclosed.Target.Key} ({disclosed.Target.Quantity}): {disclosed.Lower.ToString(fi)}–{disclosed.Upper.ToString(fi)}");
            }

            foreach (var unusable in report.Unusable.Take(3))
            {
                stdout.WriteLine($"  (ei luettavissa lineaarisesti: {unusable})");
            }
        }

        var safe = audits.All(a => a.Safe);
        stdout.WriteLine(safe ? "Yhtään pientä piilotettua lukua ei voi päätellä alle viiden tarkkuudella." : "VAROITUS: jokin piilotettu luku voidaan päätellä; älä julkaise ennen korjausta.");
        return safe ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Width(Arviointi.Audit.TargetRange? range, CultureInfo culture) =>
        range is null ? "–" : double.IsPositiveInfinity(range.Upper) ? "rajaton" : $"{range.Lower.ToString(culture)}–{range.Upper.ToString(culture)} ({range.Width.ToString(culture)})";
}
