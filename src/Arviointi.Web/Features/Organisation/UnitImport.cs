using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.ResponseRates;
using Arviointi.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Organisation;

internal enum UnitChangeKind
{
    New,
    Renamed,
    Languages,
    Enrolment,
    Closed,
}

/// <summary>One change the import would make, on the line that asks for it; <see cref="Before"/> and <see cref="After"/> as shown.</summary>
internal sealed record UnitChange(int Line, string Municipality, string Unit, UnitChangeKind Kind, string? Before, string? After, RespondentGroup? Group = null);

/// <summary>What a file would change, or why nothing can be imported; <see cref="Fingerprint"/> names exactly these changes.</summary>
internal sealed record UnitImportPlan(IReadOnlyList<UnitChange> Changes, IReadOnlyList<UiMessage> Errors, int Lines, int? RoundId)
{
    public string Fingerprint => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', Changes.Select(c => $"{c.Line}|{c.Municipality}|{c.Unit}|{c.Kind}|{c.Before}|{c.After}|{c.Group}")))))[..16];

    public int Count(UnitChangeKind kind) => Changes.Count(c => c.Kind == kind);
}

/// <summary>
/// Imports units and their enrolment figures from a municipality's own export (docs/register.md): first a preview of
/// every change, or every bad line with its number; on confirmation all of it in one transaction, or none of it.
/// </summary>
internal sealed class UnitImport(AppDbContext db, UnitRegister register)
{
    public const int MaxBytes = EnrolmentImport.MaxBytes;

    public const string MunicipalityColumn = "kunta";
    public const string UnitColumn = "yksikkö";
    public const string SectorColumn = "sektori";
    public const string KindColumn = "tyyppi";
    public const string LanguagesColumn = "kielet";
    public const string FormerNameColumn = "aiempi nimi";
    public const string ClosedColumn = "suljettu";

    /// <summary>The enrolment columns, each a respondent group's head count.</summary>
    public static readonly IReadOnlyDictionary<string, RespondentGroup> GroupColumns = new Dictionary<string, RespondentGroup>
    {
        ["henkilöstö"] = RespondentGroup.Staff,
        ["huoltajat"] = RespondentGroup.Guardian,
        ["lapset"] = RespondentGroup.Child,
        ["oppilaat"] = RespondentGroup.Pupil,
    };

    private static readonly string[] Known = [MunicipalityColumn, UnitColumn, SectorColumn, KindColumn, LanguagesColumn, FormerNameColumn, ClosedColumn, .. GroupColumns.Keys];

    /// <summary>Reads the file against the register as it is now and says what importing it would change.</summary>
    public async Task<UnitImportPlan> PreviewAsync(byte[] file, int? roundId, CancellationToken ct = default) =>
        (await PlanAsync(file, roundId, ct)).Plan;

    /// <summary>
    /// Imports the file if it still plans exactly the changes previewed (<paramref name="fingerprint"/>): otherwise returns
    /// the new plan unapplied, so the coordinator confirms only what they saw.
    /// </summary>
    public async Task<(UnitImportPlan Plan, bool Applied)> ApplyAsync(byte[] file, int? roundId, string fingerprint, string actor, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (plan, work) = await PlanAsync(file, roundId, ct);
        if (plan.Errors.Count > 0 || plan.Changes.Count == 0 || plan.Fingerprint != fingerprint)
        {
            return (plan, false);
        }

        // New units first: their ids are needed for their enrolment figures.
        foreach (var row in work.Where(r => r.Unit is null))
        {
            row.Unit = new Unit { MunicipalityCode = row.Municipality, Name = row.Name, Sector = row.Sector, Kind = row.Kind, Languages = row.Languages ?? "fi" };
            db.Units.Add(row.Unit);
        }

        await db.SaveChangesAsync(ct);
        var today = register.Today;
        foreach (var row in work)
        {
            var unit = row.Unit!;
            if (row.IsNew)
            {
                register.Audit(actor, "units.created", $"Yksikkö {unit.Id} ”{unit.Name}” lisättiin kuntaan {unit.MunicipalityCode} tuonnissa (rivi {row.Line})");
            }

            if (row.RenameFrom is not null)
            {
                register.Rename(unit, row.Name, today, actor);
            }

            if (row.Languages is { } languages && languages != unit.Languages)
            {
                unit.Languages = languages;
            }

            if (row.CloseOn is { } closeOn && unit.ClosedOn is null)
            {
                register.Close(unit, closeOn, actor);
            }

            foreach (var (group, count) in row.Counts)
            {
                var updated = await db.Enrolments.Where(e => e.RoundId == roundId && e.UnitId == unit.Id && e.Group == group)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Count, count), ct);
                if (updated == 0)
                {
                    db.Enrolments.Add(new Enrolment { RoundId = roundId!.Value, UnitId = unit.Id, Group = group, Count = count });
                }
            }
        }

        register.Audit(actor, "units.imported", $"Yksikkörekisteri tuotiin ({plan.Lines} riviä): {plan.Count(UnitChangeKind.New)} uutta, {plan.Count(UnitChangeKind.Renamed)} nimenmuutosta, "
            + $"{plan.Count(UnitChangeKind.Closed)} suljettua, {plan.Count(UnitChangeKind.Languages)} kielten muutosta, {plan.Count(UnitChangeKind.Enrolment)} osallistujamäärää"
            + (roundId is { } id ? $" kierrokselle {id}" : ""));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (plan, true);
    }

    private sealed class Row
    {
        public required int Line { get; init; }
        public required string Municipality { get; init; }
        public required string Name { get; init; }
        public Unit? Unit { get; set; }
        public bool IsNew { get; init; }
        public Sector Sector { get; init; }
        public UnitKind Kind { get; init; }
        public string? Languages { get; init; }
        public string? RenameFrom { get; init; }
        public DateOnly? CloseOn { get; init; }
        public List<(RespondentGroup Group, int Count)> Counts { get; } = [];
    }

    private async Task<(UnitImportPlan Plan, List<Row> Work)> PlanAsync(byte[] file, int? roundId, CancellationToken ct)
    {
        var csv = CsvLines.Read(file, MaxBytes, delimiter: null);
        if (csv.Errors.Count > 0)
        {
            return (new UnitImportPlan([], csv.Errors, 0, roundId), []);
        }

        var header = csv.Header.Select(h => h.ToLowerInvariant()).ToArray();
        var headerErrors = new List<UiMessage>();
        foreach (var unknown in header.Where(h => !Known.Contains(h)))
        {
            headerErrors.Add(new UiMessage("Rivi {0}: tuntematon sarake ”{1}”.", csv.HeaderLine, unknown));
        }

        foreach (var twice in header.GroupBy(h => h).Where(g => g.Count() > 1))
        {
            headerErrors.Add(new UiMessage("Rivi {0}: sarake ”{1}” on otsikossa kahdesti.", csv.HeaderLine, twice.Key));
        }

        if (!header.Contains(MunicipalityColumn) || !header.Contains(UnitColumn))
        {
            headerErrors.Add(new UiMessage("Rivi {0}: otsikossa pitää olla ainakin sarakkeet kunta ja yksikkö.", csv.HeaderLine));
        }

        if (headerErrors.Count > 0)
        {
            return (new UnitImportPlan([], headerErrors, csv.Lines.Count, roundId), []);
        }

        if (csv.Lines.Count == 0)
        {
            return (new UnitImportPlan([], [new UiMessage("Tiedostossa ei ole yhtään riviä otsikon jälkeen.")], 0, roundId), []);
        }

        var errors = new List<UiMessage>();
        EvaluationRound? round = null;
        if (roundId is { } id)
        {
            round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
            if (round is null || round.State is not (RoundState.Draft or RoundState.Scheduled or RoundState.Open))
            {
                return (new UnitImportPlan([], [new UiMessage("Osallistujamäärät voi tuoda vain kierrokselle, joka ei ole vielä päättynyt.")], csv.Lines.Count, roundId), []);
            }
        }

        var municipalities = await db.Municipalities.AsNoTracking().ToListAsync(ct);
        var units = await db.Units.Include(u => u.NameChanges).ToListAsync(ct);
        var enrolments = round is null ? [] : await db.Enrolments.AsNoTracking().Where(e => e.RoundId == round.Id).ToListAsync(ct);
        var roundDay = round is null ? (DateOnly?)null : Region.Day(round.OpensAt);
        var seen = new Dictionary<(string, string), int>();
        var work = new List<Row>();
        var changes = new List<UnitChange>();

        string Field(string[] record, string column) => Array.IndexOf(header, column) is var i and >= 0 && i < record.Length ? record[i].Trim() : "";
        Unit? Find(string municipality, string name) =>
            units.FirstOrDefault(u => u.MunicipalityCode == municipality && string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));

        foreach (var (line, record, badQuotes) in csv.Lines)
        {
            if (badQuotes)
            {
                errors.Add(new UiMessage("Rivi {0}: lainausmerkit ovat väärin.", line));
                continue;
            }

            if (record.Length != header.Length)
            {
                errors.Add(new UiMessage("Rivi {0}: sarakkeita on {1}, pitää olla {2} kuten otsikossa.", line, record.Length, header.Length));
                continue;
            }

            var lineErrors = new List<UiMessage>();
            var municipalityText = Field(record, MunicipalityColumn);
            var municipality = municipalities.FirstOrDefault(m => m.Code == municipalityText.PadLeft(3, '0')
                || string.Equals(m.NameFi, municipalityText, StringComparison.OrdinalIgnoreCase)
                || string.Equals(m.NameSv, municipalityText, StringComparison.OrdinalIgnoreCase));
            if (municipality is null)
            {
                errors.Add(new UiMessage("Rivi {0}: tuntematon kunta ”{1}”: anna kuntanumero tai kunnan nimi.", line, municipalityText));
                continue;
            }

            var name = UnitRegister.Clean(Field(record, UnitColumn));
            if (name.Length == 0)
            {
                errors.Add(new UiMessage("Rivi {0}: yksikön nimi puuttuu.", line));
                continue;
            }

            if (name.Length > UnitRegister.MaxName)
            {
                errors.Add(new UiMessage("Rivi {0}: yksikön nimi on liian pitkä: enintään {1} merkkiä.", line, UnitRegister.MaxName));
                continue;
            }

            if (seen.TryGetValue((municipality.Code, name.ToUpperInvariant()), out var earlier))
            {
                errors.Add(new UiMessage("Rivi {0}: sama yksikkö on jo rivillä {1}.", line, earlier));
                continue;
            }

            seen[(municipality.Code, name.ToUpperInvariant())] = line;

            // A former name renames the unit that has it, unless the new name is already in the register (renamed before).
            var formerName = UnitRegister.Clean(Field(record, FormerNameColumn));
            var unit = Find(municipality.Code, name);
            string? renameFrom = null;
            if (formerName.Length > 0 && !string.Equals(formerName, name, StringComparison.OrdinalIgnoreCase))
            {
                var former = Find(municipality.Code, formerName);
                if (former is not null && unit is not null)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: kunnassa on jo sekä ”{1}” että ”{2}”; nimeä ei voi muuttaa.", line, formerName, name));
                }
                else if (former is not null)
                {
                    unit = former;
                    renameFrom = former.Name;
                    if (former.ClosedOn is not null)
                    {
                        lineErrors.Add(new UiMessage("Rivi {0}: yksikkö ”{1}” on suljettu; suljettua yksikköä ei nimetä uudelleen.", line, formerName));
                    }

                    if (seen.TryGetValue((municipality.Code, formerName.ToUpperInvariant()), out var other))
                    {
                        lineErrors.Add(new UiMessage("Rivi {0}: sama yksikkö on jo rivillä {1}.", line, other));
                    }

                    seen[(municipality.Code, formerName.ToUpperInvariant())] = line;
                }
                else if (unit is null)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: kunnassa ei ole yksikköä ”{1}”, jonka nimi muuttuisi.", line, formerName));
                }
            }

            var sectorText = Field(record, SectorColumn);
            var sector = ParseSector(sectorText);
            if (sectorText.Length > 0 && sector is null)
            {
                lineErrors.Add(new UiMessage("Rivi {0}: tuntematon sektori ”{1}”: pitää olla varhaiskasvatus tai perusopetus.", line, sectorText));
            }
            else if (unit is null && sector is null)
            {
                lineErrors.Add(new UiMessage("Rivi {0}: uudelle yksikölle ”{1}” pitää antaa sektori.", line, name));
            }
            else if (unit is not null && sector is { } given && given != unit.Sector)
            {
                lineErrors.Add(new UiMessage("Rivi {0}: yksikön ”{1}” sektoria ei voi muuttaa.", line, name));
            }

            var unitSector = unit?.Sector ?? sector ?? Sector.Ecec;
            var kindText = Field(record, KindColumn);
            var kind = ParseKind(kindText);
            if (kindText.Length > 0 && kind is null)
            {
                lineErrors.Add(new UiMessage("Rivi {0}: tuntematon tyyppi ”{1}”: pitää olla päiväkoti, perhepäivähoito tai koulu.", line, kindText));
            }
            else if (kind is { } k && !UnitRegister.KindFits(k, unitSector))
            {
                lineErrors.Add(new UiMessage("Rivi {0}: tyyppi ”{1}” ei sovi sektoriin.", line, kindText));
            }
            else if (unit is not null && kind is { } changed && changed != unit.Kind)
            {
                lineErrors.Add(new UiMessage("Rivi {0}: yksikön ”{1}” tyyppiä ei voi muuttaa.", line, name));
            }

            var languagesText = Field(record, LanguagesColumn);
            var languages = languagesText.Length == 0 ? null : UnitRegister.Languages(languagesText);
            if (languagesText.Length > 0 && languages is null)
            {
                lineErrors.Add(new UiMessage("Rivi {0}: kielet ”{1}” pitää olla fi, sv tai fi,sv.", line, languagesText));
            }

            var closedText = Field(record, ClosedColumn);
            DateOnly? closeOn = null;
            if (closedText.Length > 0)
            {
                if (!DateOnly.TryParseExact(closedText, ["d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: sulkemispäivä ”{1}” ei ole päivämäärä (esim. 31.7.2027).", line, closedText));
                }
                else if (day < UnitRegister.Earliest || day > register.Latest)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: sulkemispäivän pitää olla välillä {1}–{2}.", line, UnitRegister.Show(UnitRegister.Earliest), UnitRegister.Show(register.Latest)));
                }
                else if (unit is null)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: uutta yksikköä ”{1}” ei voi samalla sulkea.", line, name));
                }
                else if (unit.ClosedOn is { } closed && closed != day)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: yksikkö ”{1}” on jo suljettu {2}.", line, name, UnitRegister.Show(closed)));
                }
                else if (unit.ClosedOn is null)
                {
                    closeOn = day;
                }
            }

            var counts = new List<(RespondentGroup, int)>();
            foreach (var (column, group) in GroupColumns)
            {
                var text = Field(record, column);
                if (text.Length == 0)
                {
                    continue;
                }

                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0 || count > 100_000)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: sarakkeen {1} määrä ”{2}” ei ole positiivinen kokonaisluku.", line, column, text));
                }
                else if (!EnrolmentImport.GroupBelongsTo(group, unitSector))
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: sarake {1} ei kuulu yksikön sektoriin.", line, column));
                }
                else if (round is null)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: tiedostossa on osallistujamääriä; valitse kierros, jolle ne tallennetaan.", line));
                }
                else if (round.Sector != unitSector)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: yksikkö ”{1}” ei kuulu kierroksen sektoriin.", line, name));
                }
                else if ((closeOn ?? unit?.ClosedOn) is { } closing && closing <= roundDay)
                {
                    lineErrors.Add(new UiMessage("Rivi {0}: yksikkö ”{1}” on suljettu {2}, eikä se ole mukana kierroksella.", line, name, UnitRegister.Show(closing)));
                }
                else
                {
                    counts.Add((group, count));
                }
            }

            if (lineErrors.Count > 0)
            {
                // One message per line and kind is enough: the same cause in several columns is said once.
                errors.AddRange(lineErrors.DistinctBy(e => e.Key));
                continue;
            }

            var row = new Row
            {
                Line = line,
                Municipality = municipality.Code,
                Name = name,
                Unit = unit,
                IsNew = unit is null,
                Sector = unitSector,
                Kind = kind ?? unit?.Kind ?? (unitSector == Sector.Basic ? UnitKind.School : UnitKind.DayCareCentre),
                Languages = unit is null ? languages ?? "fi" : languages,
                RenameFrom = renameFrom,
                CloseOn = closeOn,
            };
            var shownName = municipality.NameFi;
            if (row.IsNew)
            {
                changes.Add(new UnitChange(line, shownName, name, UnitChangeKind.New, null, $"{row.Languages}"));
                if (await register.NameTakenAsync(municipality.Code, name, null, ct) is { } taken)
                {
                    errors.Add(new UiMessage("Rivi {0}: kunnassa on jo yksikkö nimeltä ”{1}”; myös suljettujen yksiköiden nimet ovat varattuja.", line, taken));
                }
            }

            if (renameFrom is not null)
            {
                changes.Add(new UnitChange(line, shownName, name, UnitChangeKind.Renamed, renameFrom, name));
            }

            if (!row.IsNew && languages is not null && languages != unit!.Languages)
            {
                changes.Add(new UnitChange(line, shownName, name, UnitChangeKind.Languages, unit.Languages, languages));
            }

            if (closeOn is { } on)
            {
                changes.Add(new UnitChange(line, shownName, name, UnitChangeKind.Closed, null, UnitRegister.Show(on)));
            }

            foreach (var (group, count) in counts)
            {
                var before = unit is null ? null : enrolments.FirstOrDefault(e => e.UnitId == unit.Id && e.Group == group)?.Count;
                if (before != count)
                {
                    changes.Add(new UnitChange(line, shownName, name, UnitChangeKind.Enrolment, before?.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), group));
                    row.Counts.Add((group, count));
                }
            }

            work.Add(row);
        }

        // Two rows that would end with the same name (a rename onto a new unit's name) are caught by the names seen.
        return (new UnitImportPlan(errors.Count > 0 ? [] : changes, errors, csv.Lines.Count, roundId), work);
    }

    private static Sector? ParseSector(string text) => text.ToLowerInvariant() switch
    {
        "" => null,
        "varhaiskasvatus" or "vaka" or "ecec" => Sector.Ecec,
        "perusopetus" or "esi- ja perusopetus" or "basic" => Sector.Basic,
        _ => null,
    };

    private static UnitKind? ParseKind(string text) => text.ToLowerInvariant() switch
    {
        "päiväkoti" => UnitKind.DayCareCentre,
        "perhepäivähoito" => UnitKind.FamilyDayCare,
        "koulu" => UnitKind.School,
        _ => null,
    };
}
