using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Arviointi.Surveys;
using Arviointi.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Arviointi.Web.Features.Surveys;

internal sealed class SurveyOptions
{
    /// <summary>Folder of survey files; empty means the nearest <c>surveys</c> folder above the app.</summary>
    public string Path { get; set; } = "";
}

/// <summary>Imports resolved surveys as immutable versions and serves the definitions of stored versions.</summary>
internal sealed class SurveyCatalog(TimeProvider time, ILogger<SurveyCatalog> logger, IOptions<SurveyOptions> options, IHostEnvironment environment)
{
    private readonly ConcurrentDictionary<int, (SurveyDefinition Definition, AnswerLayout Layout)> parsed = new();

    /// <summary>The survey folder in use.</summary>
    public string Folder => ResolveFolder(options.Value.Path, environment.ContentRootPath);

    /// <summary>Reads the survey folder; its problems are logged with their file and line.</summary>
    public SurveyLibrary LoadLibrary()
    {
        var library = SurveyLibrary.Load(Folder);
        foreach (var error in library.Errors)
        {
            logger.LogError("Kyselytiedostossa on virhe: {Error}", error.ToString());
        }

        return library;
    }

    /// <summary>
    /// Imports every core survey that resolves without errors, alone and with each focus module of its
    /// sector, so that reviewers can preview them before a round; unchanged surveys are not imported again.
    /// </summary>
    public async Task<IReadOnlyList<SurveyVersion>> ImportAllAsync(AppDbContext db, CancellationToken ct = default)
    {
        var library = LoadLibrary();
        var imported = new List<SurveyVersion>();
        foreach (var surveyId in library.SurveyIds)
        {
            foreach (var moduleId in library.ModulesFor(surveyId).Prepend(null))
            {
                var (definition, errors) = library.Resolve(surveyId, moduleId);
                if (definition is null)
                {
                    logger.LogError("Kyselyä {SurveyId} {Module} ei tuotu: {Count} virhettä", surveyId, moduleId, errors.Count);
                    continue;
                }

                imported.Add(await ImportAsync(db, definition, moduleId is null ? surveyId : $"{surveyId}+{moduleId}", ct));
            }
        }

        return imported;
    }

    /// <summary>Stores a resolved survey as a version, or returns the stored version with the same content.</summary>
    public async Task<SurveyVersion> ImportAsync(AppDbContext db, SurveyDefinition definition, string source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var json = SurveyJson.Serialize(definition);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
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
            FocusModule = definition.FocusModule,
            ContentHash = hash,
            SourcePath = source,
            DefinitionJson = json,
            ImportedAt = time.GetUtcNow(),
        };
        db.SurveyVersions.Add(version);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Kysely {Source} tuotiin versiona {Revision}", source, revision);
        return version;
    }

    public SurveyDefinition Definition(SurveyVersion version) => Parsed(version).Definition;

    public AnswerLayout Layout(SurveyVersion version) => Parsed(version).Layout;

    private (SurveyDefinition Definition, AnswerLayout Layout) Parsed(SurveyVersion version) =>
        parsed.GetOrAdd(version.Id, _ =>
        {
            var definition = SurveyJson.Deserialize(version.DefinitionJson);
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
