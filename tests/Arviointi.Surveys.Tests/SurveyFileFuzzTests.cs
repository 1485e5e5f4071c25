using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Arviointi.Surveys.Tests;

/// <summary>
/// The real files of <c>surveys/</c> broken thousands of ways (<see cref="SurveyFileMutations"/>) and read by the loader
/// behind <c>arviointi surveys validate</c> and the app's import: it never throws, and every problem it reports names a
/// file of the folder and a line inside that file. Each broken file is read with the files its surveys resolve from
/// (its item bank, survey, focus module), and now and then with the whole folder. The seed is fixed so that CI is
/// reproducible; ARVIOINTI_FUZZ_SEED and ARVIOINTI_FUZZ_COUNT explore further.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed partial class SurveyFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "arviointi-fuzz", Guid.NewGuid().ToString("n"));

    [Fact]
    public void Thousands_of_broken_survey_files_give_errors_with_file_and_line_and_never_an_exception()
    {
        var seed = Setting("ARVIOINTI_FUZZ_SEED", 20270110);
        var count = Setting("ARVIOINTI_FUZZ_COUNT", 3000);
        output.WriteLine($"seed {seed}, {count} inputs ({string.Join(", ", SurveyFileMutations.Names)})");
        var source = Path.Combine(RepositorySurveyTests.RepositoryRoot(), "surveys");
        var originals = Directory.EnumerateFiles(source, "*.yaml", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(source, f).Replace('\\', '/'), File.ReadAllBytes);
        var units = ResolutionUnits(SurveyLibrary.Load(source), source, originals.Keys);
        var folders = units.Select((unit, i) => Folder($"unit-{i}", unit, originals)).ToList();
        var whole = Folder("whole", [.. originals.Keys], originals);
        var alone = originals.Keys.ToDictionary(f => f, f => Folder($"alone-{f.Replace('/', '-')}", [f], originals));
        var baselines = folders.Append(whole).Concat(alone.Values).ToDictionary(f => f, f => SurveyLibrary.Load(f).Errors.Count);

        var random = new Random(seed);
        var failures = new List<string>();
        var (noticed, unchanged) = (0, 0);
        var untranslated = new Dictionary<string, int>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var i = 0;
        for (; i < count && failures.Count < 10; i++)
        {
            var file = originals.Keys.ElementAt(random.Next(originals.Count));
            var candidates = folders.Where((_, u) => units[u].Contains(file)).ToList();
            var folder = random.Next(100) switch
            {
                0 => whole,
                < 25 => candidates[random.Next(candidates.Count)],
                _ => alone[file],
            };
            var (bytes, applied) = SurveyFileMutations.Apply(random, originals[file]);
            var path = Path.Combine(folder, file);
            File.WriteAllBytes(path, bytes);
            try
            {
                var (errors, problems) = Read(folder);
                if (problems.Count > 0)
                {
                    failures.Add(Failure(seed, i, file, applied, bytes, string.Join("\n  ", problems)));
                }

                _ = errors.Count > baselines[folder] ? noticed++ : unchanged++;
                foreach (var message in errors.Select(e => e.Message).Where(m => EnglishPattern().IsMatch(m)))
                {
                    untranslated[message] = untranslated.GetValueOrDefault(message) + 1;
                }
            }
#pragma warning disable CA1031 // Any exception at all is the finding: it is reported with the input that caused it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add(Failure(seed, i, file, applied, bytes, e.ToString()));
            }
            finally
            {
                File.WriteAllBytes(path, originals[file]);
            }
        }

        output.WriteLine($"{i} broken files read in {watch.Elapsed.TotalSeconds:F1} s: {noticed} gave more errors than the same files unbroken, {unchanged} none beyond those");
        foreach (var (message, times) in untranslated.OrderByDescending(u => u.Value).Take(5))
        {
            output.WriteLine($"still in YamlDotNet's English ({times}×): {message}");
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(noticed > count / 3, $"only {noticed} of {count} broken files were noticed");
    }

    public void Dispose()
    {
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Everything the validator and the app's import do with a folder, and what is wrong with the errors.</summary>
    private static (IReadOnlyList<SurveyError> Errors, List<string> Problems) Read(string folder)
    {
        var library = SurveyLibrary.Load(folder);
        var lines = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .ToDictionary(f => Path.Join(folder, Path.GetRelativePath(folder, f)).Replace('\\', '/'), f => new Lazy<int>(() => LineCount(File.ReadAllText(f))), StringComparer.Ordinal);
        var errors = library.Errors.ToList();
        foreach (var surveyId in library.SurveyIds)
        {
            foreach (var moduleId in library.ModulesFor(surveyId).Prepend(null))
            {
                var (definition, found) = library.Resolve(surveyId, moduleId);
                errors.AddRange(found);
                if (definition is not null)
                {
                    // As the app imports it and reads it back.
                    Assert.Equal(definition.Id, SurveyJson.Deserialize(SurveyJson.Serialize(definition)).Id);
                }
            }
        }

        foreach (var year in library.Cycle)
        {
            errors.AddRange(library.ResolveYear(year.Year).SelectMany(r => r.Errors));
        }

        var problems = new List<string>();
        foreach (var error in errors)
        {
            if (!lines.TryGetValue(error.File, out var last))
            {
                problems.Add($"names no file of the folder: {error}");
            }
            else if (error.Line < 1 || error.Line > last.Value || error.Column < 1)
            {
                problems.Add($"points outside its file of {last.Value} lines: {error}");
            }

            if (error.Message.Length == 0 || ExceptionPattern().IsMatch(error.Message))
            {
                problems.Add($"message is empty or an exception's: {error}");
            }
        }

        return (library.Errors, problems);
    }

    /// <summary>For each survey alone and with each of its focus modules, the files it resolves from; the cycle with the modules.</summary>
    private static List<HashSet<string>> ResolutionUnits(SurveyLibrary library, string root, IEnumerable<string> files)
    {
        Assert.Empty(library.Errors);
        string Relative(SourceLocation? at) => Path.GetRelativePath(root, at!.File).Replace('\\', '/');
        var units = new List<HashSet<string>>();
        foreach (var surveyId in library.SurveyIds)
        {
            foreach (var moduleId in library.ModulesFor(surveyId).Prepend(null))
            {
                var survey = library.Resolve(surveyId, moduleId).Definition!;
                units.Add([Relative(survey.Title.Location), .. survey.Sections.Select(s => Relative(s.Title.Location)), .. survey.Items.Select(i => Relative(i.Location))]);
            }
        }

        units.Add(["cycle.yaml", .. files.Where(f => f.StartsWith("modules/", StringComparison.Ordinal))]);
        units.AddRange(files.Where(f => !units.Any(u => u.Contains(f))).Select(f => new HashSet<string> { f }));
        return units;
    }

    private string Folder(string name, IReadOnlyCollection<string> files, Dictionary<string, byte[]> originals)
    {
        var folder = Path.Combine(work, name);
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.WriteAllBytes(Path.Combine(folder, file), originals[file]);
        }

        return folder;
    }

    /// <summary>Lines as YAML counts them: after CR LF, CR, LF, NEL, LS or PS.</summary>
    private static int LineCount(string text) => 1 + LineBreakPattern().Count(text);

    private static string Failure(int seed, int index, string file, string applied, byte[] bytes, string what)
    {
        var saved = Path.Combine(Path.GetTempPath(), "arviointi-fuzz-failures", $"{seed}-{index}-{file.Replace('/', '-')}");
        Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
        File.WriteAllBytes(saved, bytes);
        return $"input {index} (seed {seed}): {file} after {applied}, saved as {saved}:\n  {what}";
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [GeneratedRegex("\r\n|[\r\n\u0085\u2028\u2029]")]
    private static partial Regex LineBreakPattern();

    [GeneratedRegex(@"Exception|\sat [\w.]+\(|\bSystem\.[A-Z]|YamlDotNet\.")]
    private static partial Regex ExceptionPattern();

    [GeneratedRegex(@"\b(found|expected|while|did not|invalid|unexpected|cannot)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishPattern();
}
