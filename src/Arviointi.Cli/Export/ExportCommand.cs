using System.CommandLine;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Export;
using Arviointi.Web.Features.Results;
using Arviointi.Web.Features.Results.Publication;
using Arviointi.Web.Features.Surveys;
using Microsoft.Extensions.DependencyInjection;

namespace Arviointi.Cli.Export;

/// <summary>
/// <c>arviointi export --round N --group G --output FILE</c>: the analysts' research dataset written on the server as the
/// same zip the web download gives (<see cref="DatasetZip"/>), with the same disclosure control, and audited as an export
/// by the operating-system user running it. With <c>--open</c>, the group's masked open answers instead
/// (<see cref="OpenAnswerFile"/>), as an administrator downloads them.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var round = new Option<int>("--round") { Description = "Kierroksen tunnus.", Required = true };
        var group = new Option<string>("--group") { Description = "Vastaajaryhmä: guardian, staff, child tai pupil.", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Kirjoitettava zip-tiedosto.", Required = true };
        var units = new Option<bool>("--units") { Description = "Yksikön tunnus kokoluokan sijaan." };
        var open = new Option<bool>("--open") { Description = "Aineiston sijaan ryhmän avoimet vastaukset peitettyinä (erillinen tiedosto, ei yhdistettävissä aineistoon)." };
        var database = new Option<string?>("--database") { Description = "SQLite-tietokanta (oletus: src/Arviointi.Web/data/arviointi.db)." };
        var sqlServer = new Option<string?>("--sql-server") { Description = "SQL Server -yhteysmerkkijono SQLite-tiedoston sijaan." };
        var command = new Command("export", "Kirjoittaa kierroksen vastaajaryhmän tutkimusaineiston (CSV, Parquet, koodikirja, riskiraportti) zip-tiedostoon.")
        {
            round, group, output, units, open, database, sqlServer,
        };
        command.SetAction((parseResult, ct) => RunAsync(
            parseResult.GetRequiredValue(round), parseResult.GetRequiredValue(group), parseResult.GetRequiredValue(output), parseResult.GetValue(units), parseResult.GetValue(open),
            parseResult.GetValue(database), parseResult.GetValue(sqlServer), stdout, stderr, ct));
        return command;
    }

    private static async Task<int> RunAsync(int roundId, string group, FileInfo output, bool units, bool open, string? database, string? sqlServer, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (units && open)
        {
            await stderr.WriteLineAsync("--units ja --open eivät sovi yhteen: avoimissa vastauksissa on vain kunta.");
            return ExitCodes.Failure;
        }

        database ??= sqlServer is null ? Path.Combine("src", "Arviointi.Web", "data", "arviointi.db") : null;
        if (database is not null && !File.Exists(database))
        {
            await stderr.WriteLineAsync($"{database}: tietokantaa ei löydy (anna --database tai --sql-server).");
            return ExitCodes.Failure;
        }

        await using var services = OfflineServices.Create(database, sqlServer, write: true);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var catalog = scope.ServiceProvider.GetRequiredService<SurveyCatalog>();
        var snapshots = scope.ServiceProvider.GetRequiredService<SnapshotBuilder>();
        var actor = $"cli:{Environment.UserName}";
        if (open)
        {
            var (file, _, refused) = await OpenAnswerFile.PlanAsync(db, catalog, snapshots, roundId, group, ct);
            if (file is null)
            {
                await stderr.WriteLineAsync(refused ?? $"Kierroksella {roundId} ei ole ryhmää '{group}'.");
                return ExitCodes.Failure;
            }

            if (!await WriteAsync(output, stream => file.WriteAsync(stream, ct), stderr))
            {
                return ExitCodes.Failure;
            }

            await file.AuditAsync(db, TimeProvider.System, actor, ct);
            await stdout.WriteLineAsync($"{output.FullName}: {file.Rows.Count} avointa vastausta peitettyinä.");
            return ExitCodes.Success;
        }

        var (dataset, _, problem) = await DatasetDownloads.PlanAsync(db, catalog, snapshots, roundId, group, units, ct);
        if (dataset is null)
        {
            await stderr.WriteLineAsync(problem ?? $"Kierroksella {roundId} ei ole ryhmän '{group}' aineistoa.");
            return ExitCodes.Failure;
        }

        if (!await WriteAsync(output, stream => DatasetZip.WriteAsync(dataset, db, stream, ct), stderr))
        {
            return ExitCodes.Failure;
        }

        await DatasetDownloads.AuditAsync(db, TimeProvider.System, actor, dataset, ct);
        var risk = dataset.Risk;
        await stdout.WriteLineAsync($"{output.FullName}: {dataset.RowCount} riviä, {dataset.Columns.Count} saraketta; k = {risk.K}: rikkovia {risk.ViolatingBefore} → {risk.ViolatingAfter}, piilotettuja arvoja {risk.Columns.Sum(c => c.Suppressed)}.");
        return ExitCodes.Success;
    }

    /// <summary>Writes the zip to <paramref name="output"/>; false, said on standard error, when the file cannot be written.</summary>
    private static async Task<bool> WriteAsync(FileInfo output, Func<Stream, Task> write, TextWriter stderr)
    {
        try
        {
            await using var file = new FileStream(output.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await write(file);
            return true;
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"{output.FullName}: {e.Message}");
            return false;
        }
    }
}
