using System.IO.Compression;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Arviointi.Web.Features.Answering;
using Arviointi.Web.Features.Audit;
using Arviointi.Web.Features.Rounds;
using Arviointi.Web.Features.Shared;
using Arviointi.Web.Features.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Codes;

internal sealed class CodeOptions
{
    /// <summary>The address respondents type or scan, e.g. https://arviointi.example.fi; empty uses the request's own.</summary>
    public string PublicUrl { get; set; } = "";
}

internal sealed record BatchOrder(int RoundId, int UnitId, RespondentGroup Group, AccessCodeKind Kind, int Count, int UsesPerCode);

/// <summary>Ordering, downloading once and voiding batches of printed codes.</summary>
internal sealed class CodeBatches(AppDbContext db, RoundAdmin rounds, SurveyCatalog catalog, TimeProvider time)
{
    public async Task<(CodeBatch? Batch, string? Error)> OrderAsync(BatchOrder order, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var round = await db.Rounds.Include(r => r.Surveys).FirstOrDefaultAsync(r => r.Id == order.RoundId, ct);
        if (round is null || round.State is not (RoundState.Draft or RoundState.Scheduled or RoundState.Open))
        {
            return (null, "Koodeja voi tilata vain kierrokselle, joka ei ole vielä päättynyt.");
        }

        if (round.Surveys.All(s => s.Group != order.Group))
        {
            return (null, "Kierroksella ei ole kyselyä valitulle vastaajaryhmälle.");
        }

        if (!await db.Units.AnyAsync(u => u.Id == order.UnitId && u.Sector == round.Sector, ct))
        {
            return (null, "Valitse kierroksen sektoriin kuuluva yksikkö.");
        }

        var opens = Organisation.Region.Day(round.OpensAt);
        if (await db.Units.AnyAsync(u => u.Id == order.UnitId && u.ClosedOn != null && u.ClosedOn <= opens, ct))
        {
            return (null, "Yksikkö on suljettu ennen kierroksen alkua, eikä se saa koodeja.");
        }

        if (order.Count is < 1 or > 2000 || (order.Kind == AccessCodeKind.Group && order.UsesPerCode is < 2 or > 200))
        {
            return (null, "Koodeja voi tilata 1–2000; ryhmäkoodilla voi vastata 2–200 kertaa.");
        }

        var batch = new CodeBatch
        {
            RoundId = order.RoundId,
            UnitId = order.UnitId,
            Group = order.Group,
            Kind = order.Kind,
            Count = order.Count,
            UsesPerCode = order.Kind == AccessCodeKind.Personal ? 1 : order.UsesPerCode,
            OrderedAt = time.GetUtcNow(),
            OrderedBy = actor,
        };
        db.CodeBatches.Add(batch);
        db.AuditEvents.Add(new AuditEvent { At = time.GetUtcNow(), Actor = actor, Action = "codes.ordered", Details = $"{order.Count} koodia ({order.Kind}), kierros {order.RoundId}, yksikkö {order.UnitId}, {order.Group}" });
        await db.SaveChangesAsync(ct);
        return (batch, null);
    }

    /// <summary>
    /// Makes the batch's codes and returns them as a ZIP of printable slips (PDF) and a CSV, exactly once:
    /// a conditional update marks the batch downloaded, so two clicks cannot make two sets of codes.
    /// </summary>
    public async Task<(byte[]? Zip, string? Error)> DownloadAsync(int batchId, string publicUrl, string actor, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var claimed = await db.CodeBatches.Where(b => b.Id == batchId && b.DownloadedAt == null && b.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.DownloadedAt, now).SetProperty(b => b.DownloadedBy, actor), ct);
        if (claimed == 0)
        {
            return (null, "Tämä koodierä on jo ladattu tai mitätöity. Jos arkit ovat kadonneet, pyydä koordinaattoria mitätöimään erä ja tilaamaan uusi.");
        }

        var batch = await db.CodeBatches.AsNoTracking().Include(b => b.Unit!.Municipality).Include(b => b.Round).SingleAsync(b => b.Id == batchId, ct);
        var codes = await rounds.IssueCodesAsync(new CodeOrder(batch.RoundId, batch.UnitId, batch.Group, batch.Count, batch.Kind, batch.UsesPerCode, batch.Id), actor, ct);
        var version = await db.RoundSurveys.AsNoTracking().Include(s => s.SurveyVersion)
            .Where(s => s.RoundId == batch.RoundId && s.Group == batch.Group).Select(s => s.SurveyVersion!).SingleAsync(ct);
        var survey = catalog.Definition(version);
        var languages = batch.Unit!.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sheet = new SlipSheet(
            publicUrl,
            survey.Title.Get("fi"),
            languages.Contains("sv") ? survey.Title.Get("sv") : null,
            batch.Unit.Name,
            batch.Unit.Municipality!.NameFi,
            batch.Unit.Municipality.NameSv,
            Names.Of(batch.Group),
            Organisation.Region.Day(batch.Round!.OpensAt),
            CodeSlips.LastDay(batch.Round.ClosesAt),
            languages,
            [.. codes.Select(c => new SlipCode(c, batch.Kind == AccessCodeKind.Group ? batch.UsesPerCode : null))]);

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            var name = $"koodit-{batch.Round!.Year}-{Slug(batch.Unit.Name)}-{batch.Group.ToString().ToLowerInvariant()}";
            await using (var pdf = archive.CreateEntry($"{name}.pdf").Open())
            {
                await pdf.WriteAsync(CodeSlips.Render(sheet), ct);
            }

            await using var csv = archive.CreateEntry($"{name}.csv").Open();
            await csv.WriteAsync(Encoding.UTF8.GetBytes(CodeSlips.Csv(sheet)), ct);
        }

        return (zip.ToArray(), null);
    }

    /// <summary>Voids a batch: its codes not yet used stop working. Answers already given stay.</summary>
    public async Task<int> VoidAsync(int batchId, string actor, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await db.CodeBatches.Where(b => b.Id == batchId && b.VoidedAt == null).ExecuteUpdateAsync(s => s.SetProperty(b => b.VoidedAt, now), ct);
        var removed = await db.AccessCodes.Where(c => c.BatchId == batchId && c.Uses == 0).ExecuteDeleteAsync(ct);
        db.AuditEvents.Add(new AuditEvent { At = now, Actor = actor, Action = "codes.voided", Details = $"Koodierä {batchId} mitätöitiin, {removed} käyttämätöntä koodia poistettiin" });
        await db.SaveChangesAsync(ct);
        return removed;
    }

    private static string Slug(string name) =>
        new(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
