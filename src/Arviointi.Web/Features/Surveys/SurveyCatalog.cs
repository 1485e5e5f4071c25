using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Arviointi.Web.Features.Surveys;

internal sealed class SurveyOptions
{
    /// <summary>Folder of survey files; empty means the nearest <c>surveys</c> folder above the app.</summary>
    public string Path { get; set; } = "";
}

/// <summary>Imports survey files as immutable versions and serves parsed definitions of stored versions.</summary>
internal sealed class SurveyCatalog(TimeProvider time, ILogger<SurveyCatalog> logger)
{
    private readonly ConcurrentDictionary<int, (SurveyDefinition Definition, AnswerLayout Layout)> parsed = new();

    /// <summary>Imports every valid file under <paramref name="folder"/>; a changed file becomes a new revision.</summary>
    public async Task<IReadOnlyList<SurveyVersion>> ImportAsync(AppDbContext db, string folder, CancellationToken ct = default)
    {
        var imported = new List<SurveyVersion>();
        foreach (var file in SurveyDirectory.Load(folder))
        {
            if (!file.Result.IsValid)
            {
                foreach (var error in file.Result.Errors)
                {
                    logger.LogError("Kyselytiedostoa ei tuotu: {Error}", error.ToString());
                }

                continue;
            }

            imported.Add(await ImportAsync(db, file, ct));
        }

        return imported;
    }

    public async Task<SurveyVersion> ImportAsync(AppDbContext db, SurveyFile file, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var definition = file.Result.Definition ?? throw new ArgumentException("The survey file is not valid.", nameof(file));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file.Text)));
        var existing = await db.SurveyVersions.FirstOrDefaultAsync(v => v.SurveyId == definition.Id && v.ContentHash == hash, ct);
        if (existing is not null)
        {
            return existing;
        }

        var revision = 1 + (await db.SurveyVersions.Where(v => v.SurveyId == definition.Id).MaxAsync(v => (int?)v.Revision, ct) ?? 0);
        var version = new SurveyVersion
        {
            SurveyId = definition.Id,
            Revision = revision,
            DeclaredVersion = definition.Version,
            Sector = definition.Sector,
            Group = definition.Group,
            ContentHash = hash,
            SourcePath = file.Path.Replace('\\', '/'),
            Yaml = file.Text,
            ImportedAt = time.GetUtcNow(),
        };
        db.SurveyVersions.Add(version);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Kysely {SurveyId} tuotiin versiona {Revision}", definition.Id, revision);
        return version;
    }

    public SurveyDefinition Definition(SurveyVersion version) => Parsed(version).Definition;

    public AnswerLayout Layout(SurveyVersion version) => Parsed(version).Layout;

    private (SurveyDefinition Definition, AnswerLayout Layout) Parsed(SurveyVersion version) =>
        parsed.GetOrAdd(version.Id, _ =>
        {
            var result = SurveyParser.Parse(version.Yaml, version.SourcePath);
            var definition = result.Definition
                ?? throw new InvalidOperationException($"Stored survey version {version.Id} no longer parses: {string.Join("; ", result.Errors)}");
            return (definition, new AnswerLayout(definition));
        });

    /// <summary>Finds the survey folder: configured, or the nearest <c>surveys</c> folder above the content root.</summary>
    public static string ResolveFolder(string configured, string contentRoot)
    {
        if (configured.Length > 0)
        {
            return System.IO.Path.GetFullPath(configured, contentRoot);
        }

        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "surveys");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return System.IO.Path.Combine(contentRoot, "surveys");
    }
}
