using System.Globalization;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Organisation;

internal enum DateKind
{
    Rename,
    Close,
    Merge,
}

internal sealed record NewUnit(string MunicipalityCode, string? Name, Sector Sector, UnitKind Kind, string? Languages);

/// <summary>
/// The coordinator's register of units (docs/register.md). A unit row is never deleted and a stored snapshot is never
/// rewritten: a rename is recorded with its date, a closed unit keeps its closing day, a merged one also the unit it
/// went into, so past rounds keep their units, names and results while new rounds leave closed units out.
/// </summary>
internal sealed class UnitRegister(AppDbContext db, TimeProvider time)
{
    public const int MaxName = 200;

    /// <summary>The earliest date the register accepts: the cooperation began in 2009.</summary>
    public static readonly DateOnly Earliest = new(2009, 1, 1);

    public DateOnly Today => Region.Day(time.GetUtcNow());

    /// <summary>The latest date the register accepts: a decided closing or rename is known at most a year ahead.</summary>
    public DateOnly Latest => Today.AddYears(1);

    /// <summary>Adds a unit, or says in Finnish why not.</summary>
    public async Task<(Unit? Unit, IReadOnlyList<UiMessage> Errors)> CreateAsync(NewUnit request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<UiMessage>();
        var name = Clean(request.Name);
        if (!await db.Municipalities.AnyAsync(m => m.Code == request.MunicipalityCode, ct))
        {
            errors.Add(new UiMessage("Valitse kunta."));
        }

        errors.AddRange(NameErrors(name));
        if (!KindFits(request.Kind, request.Sector))
        {
            errors.Add(new UiMessage("Yksikön tyyppi ei sovi sektoriin: koulu on esi- ja perusopetusta, päiväkoti ja perhepäivähoito varhaiskasvatusta."));
        }

        var languages = Languages(request.Languages);
        if (languages is null)
        {
            errors.Add(new UiMessage("Kielet pitää olla fi, sv tai fi,sv."));
        }

        if (errors.Count == 0 && await NameTakenAsync(request.MunicipalityCode, name, null, ct) is { } other)
        {
            errors.Add(new UiMessage("Kunnassa on jo yksikkö nimeltä ”{0}”; myös suljettujen yksiköiden nimet ovat varattuja.", other));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var unit = new Unit { MunicipalityCode = request.MunicipalityCode, Name = name, Sector = request.Sector, Kind = request.Kind, Languages = languages! };
        db.Units.Add(unit);
        await db.SaveChangesAsync(ct);
        Audit(actor, "units.created", $"Yksikkö {unit.Id} ”{name}” lisättiin kuntaan {unit.MunicipalityCode} ({unit.Sector}, {unit.Kind}, {unit.Languages})");
        await db.SaveChangesAsync(ct);
        return (unit, []);
    }

    /// <summary>Renames a unit from <paramref name="on"/>: the old name stays in its history and in past rounds' results.</summary>
    public async Task<IReadOnlyList<UiMessage>> RenameAsync(int unitId, string? newName, DateOnly? on, string actor, CancellationToken ct = default)
    {
        var unit = await db.Units.Include(u => u.NameChanges).FirstOrDefaultAsync(u => u.Id == unitId, ct);
        if (unit is null)
        {
            return [new UiMessage("Valitse yksikkö.")];
        }

        var name = Clean(newName);
        var errors = new List<UiMessage>(NameErrors(name));
        errors.AddRange(DateErrors(on, DateKind.Rename));
        if (unit.ClosedOn is not null)
        {
            errors.Add(new UiMessage("Yksikkö ”{0}” on suljettu; suljettua yksikköä ei nimetä uudelleen.", unit.Name));
        }

        if (errors.Count == 0 && string.Equals(name, unit.Name, StringComparison.Ordinal))
        {
            errors.Add(new UiMessage("Uusi nimi on sama kuin nykyinen."));
        }

        if (errors.Count == 0 && unit.NameChanges.Count > 0 && on <= unit.NameChanges.Max(c => c.ChangedOn))
        {
            errors.Add(new UiMessage("Nimenmuutoksen päivän pitää olla edellisen nimenmuutoksen ({0}) jälkeen.", Show(unit.NameChanges.Max(c => c.ChangedOn))));
        }

        if (errors.Count == 0 && await NameTakenAsync(unit.MunicipalityCode, name, unit.Id, ct) is { } other)
        {
            errors.Add(new UiMessage("Kunnassa on jo yksikkö nimeltä ”{0}”; myös suljettujen yksiköiden nimet ovat varattuja.", other));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        Rename(unit, name, on!.Value, actor);
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Closes a unit from <paramref name="on"/> on: new rounds leave it out, past rounds keep it.</summary>
    public async Task<IReadOnlyList<UiMessage>> CloseAsync(int unitId, DateOnly? on, string actor, CancellationToken ct = default)
    {
        var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == unitId, ct);
        if (unit is null)
        {
            return [new UiMessage("Valitse yksikkö.")];
        }

        var errors = new List<UiMessage>(DateErrors(on, DateKind.Close));
        if (unit.ClosedOn is { } closed)
        {
            errors.Add(new UiMessage("Yksikkö ”{0}” on jo suljettu {1}.", unit.Name, Show(closed)));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        Close(unit, on!.Value, actor);
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>
    /// Merges a unit into another of the same municipality and sector from <paramref name="on"/> on: the merged unit is
    /// closed and points to the one it went into; its past answers and results stay under it.
    /// </summary>
    public async Task<IReadOnlyList<UiMessage>> MergeAsync(int unitId, int intoId, DateOnly? on, string actor, CancellationToken ct = default)
    {
        var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == unitId, ct);
        var into = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == intoId, ct);
        if (unit is null || into is null)
        {
            return [new UiMessage("Valitse yhdistettävä yksikkö ja yksikkö, johon se yhdistetään.")];
        }

        var errors = new List<UiMessage>(DateErrors(on, DateKind.Merge));
        if (unit.Id == into.Id)
        {
            errors.Add(new UiMessage("Yksikköä ei voi yhdistää itseensä."));
        }
        else if (unit.MunicipalityCode != into.MunicipalityCode)
        {
            errors.Add(new UiMessage("Yksikön voi yhdistää vain saman kunnan yksikköön."));
        }
        else if (unit.Sector != into.Sector)
        {
            errors.Add(new UiMessage("Yksikön voi yhdistää vain saman sektorin yksikköön."));
        }

        if (unit.ClosedOn is { } closed)
        {
            errors.Add(new UiMessage("Yksikkö ”{0}” on jo suljettu {1}.", unit.Name, Show(closed)));
        }

        if (unit.Id != into.Id && into.ClosedOn is not null)
        {
            errors.Add(new UiMessage("Yksikkö ”{0}”, johon yhdistettäisiin, on suljettu.", into.Name));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        unit.ClosedOn = on!.Value;
        unit.MergedIntoId = into.Id;
        Audit(actor, "unit.merged", $"Yksikkö {unit.Id} ”{unit.Name}” yhdistettiin yksikköön {into.Id} ”{into.Name}” {Iso(on.Value)} alkaen");
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Records a rename on a tracked unit (the caller saves).</summary>
    internal void Rename(Unit unit, string name, DateOnly on, string actor)
    {
        db.UnitNameChanges.Add(new UnitNameChange { UnitId = unit.Id, OldName = unit.Name, NewName = name, ChangedOn = on, RecordedAt = time.GetUtcNow(), RecordedBy = actor });
        Audit(actor, "unit.renamed", $"Yksikkö {unit.Id} ”{unit.Name}” nimettiin ”{name}” {Iso(on)} alkaen");
        unit.Name = name;
    }

    /// <summary>Closes a tracked unit (the caller saves).</summary>
    internal void Close(Unit unit, DateOnly on, string actor)
    {
        unit.ClosedOn = on;
        Audit(actor, "unit.closed", $"Yksikkö {unit.Id} ”{unit.Name}” suljettiin {Iso(on)} alkaen");
    }

    internal void Audit(string actor, string action, string details) =>
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = action, Details = details.Length > 2000 ? details[..2000] : details });

    /// <summary>Another unit of the municipality with the name, compared as SQL Server's usual collation would (case-insensitively).</summary>
    internal async Task<string?> NameTakenAsync(string municipalityCode, string name, int? except, CancellationToken ct)
    {
        var names = await db.Units.AsNoTracking().Where(u => u.MunicipalityCode == municipalityCode && u.Id != (except ?? 0))
            .Select(u => u.Name).ToListAsync(ct);
        return names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }

    internal IEnumerable<UiMessage> DateErrors(DateOnly? on, DateKind kind)
    {
        if (on is not { } day)
        {
            yield return new UiMessage(kind switch
            {
                DateKind.Rename => "Nimenmuutoksen päivä puuttuu tai on virheellinen.",
                DateKind.Close => "Sulkemispäivä puuttuu tai on virheellinen.",
                _ => "Yhdistämispäivä puuttuu tai on virheellinen.",
            });
        }
        else if (day < Earliest || day > Latest)
        {
            yield return new UiMessage(
                kind switch
                {
                    DateKind.Rename => "Nimenmuutoksen päivän pitää olla välillä {0}–{1}.",
                    DateKind.Close => "Sulkemispäivän pitää olla välillä {0}–{1}.",
                    _ => "Yhdistämispäivän pitää olla välillä {0}–{1}.",
                },
                Show(Earliest),
                Show(Latest));
        }
    }

    internal static IEnumerable<UiMessage> NameErrors(string name)
    {
        if (name.Length == 0)
        {
            yield return new UiMessage("Anna yksikön nimi.");
        }
        else if (name.Length > MaxName)
        {
            yield return new UiMessage("Yksikön nimi on liian pitkä: enintään {0} merkkiä.", MaxName);
        }
    }

    /// <summary>A name as stored: trimmed, inner runs of white space made one space.</summary>
    internal static string Clean(string? name) => string.Join(' ', (name ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal static bool KindFits(UnitKind kind, Sector sector) => kind == UnitKind.School ? sector == Sector.Basic : sector == Sector.Ecec;

    /// <summary>"fi", "sv" or "fi,sv" from what was typed (commas, spaces or plus signs between), or null.</summary>
    internal static string? Languages(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "fi";
        }

        var parts = text.ToLowerInvariant().Split([',', ' ', '+', '/'], StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (parts.Count == 0 || parts.Any(p => p is not ("fi" or "sv")))
        {
            return null;
        }

        return string.Join(',', parts.OrderBy(p => p == "fi" ? 0 : 1));
    }

    /// <summary>A date as a Finnish reader writes it: 1.8.2027.</summary>
    public static string Show(DateOnly day) => day.ToString("d.M.yyyy", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
