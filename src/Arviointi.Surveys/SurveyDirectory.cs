namespace Arviointi.Surveys;

/// <summary>A survey file read from disk together with its text and parse outcome.</summary>
/// <param name="Path">Path of the file as given.</param>
/// <param name="Text">The file's text, kept so an import can store exactly what was read.</param>
/// <param name="Result">The parse outcome.</param>
public sealed record SurveyFile(string Path, string Text, SurveyParseResult Result);

/// <summary>Loads every survey file of a folder tree.</summary>
public static class SurveyDirectory
{
    /// <summary>Reads and parses every <c>*.yaml</c> survey file below <paramref name="root"/>.</summary>
    /// <remarks>Files whose name starts with an underscore, and the <c>cycle.yaml</c> of the yearly cycle, are not surveys.</remarks>
    public static IReadOnlyList<SurveyFile> Load(string root)
    {
        var files = File.Exists(root)
            ? [root]
            : Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('_') && Path.GetFileName(f) != "cycle.yaml")
                .Order(StringComparer.Ordinal)
                .ToList();

        var loaded = new List<SurveyFile>();
        var seenIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var text = File.ReadAllText(path);
            var result = SurveyParser.Parse(text, path);
            if (result.Definition is { } definition && !seenIds.TryAdd(definition.Id, path))
            {
                result = result with
                {
                    Errors = [.. result.Errors, new SurveyError(path, 1, 1, $"kyselyn id '{definition.Id}' on jo tiedostossa {seenIds[definition.Id]}")],
                    Definition = null,
                };
            }

            loaded.Add(new SurveyFile(path, text, result));
        }

        return loaded;
    }
}
