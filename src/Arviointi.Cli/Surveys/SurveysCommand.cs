using System.CommandLine;
using Arviointi.Surveys;

namespace Arviointi.Cli.Surveys;

/// <summary><c>arviointi surveys validate [PATH]</c>: checks the survey definitions before they are imported.</summary>
internal static class SurveysCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("PATH")
        {
            Description = "Kyselykansio tai yksittäinen kyselytiedosto.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "surveys",
        };
        var validate = new Command("validate", "Tarkistaa kyselymäärittelyt ja tulostaa virheet muodossa tiedosto:rivi:sarake: viesti.") { path };
        validate.SetAction(parseResult => Validate(parseResult.GetRequiredValue(path), stdout, stderr));

        return new Command("surveys", "Kyselymäärittelyjen käsittely.") { validate };
    }

    private static int Validate(string path, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            stderr.WriteLine($"{path}: kansiota tai tiedostoa ei löydy");
            return ExitCodes.Failure;
        }

        IReadOnlyList<SurveyFile> files;
        try
        {
            files = SurveyDirectory.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: kyselyjä ei voi lukea: {e.Message}");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The parser should report every bad input as an error, but YamlDotNet can still throw.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"{FindCrashingFile(path) ?? path}: kyselyä ei voitu tarkistaa: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }

        var errorCount = 0;
        foreach (var file in files)
        {
            foreach (var error in file.Result.Errors)
            {
                stderr.WriteLine(error);
                errorCount++;
            }
        }

        stdout.WriteLine($"{files.Count} {(files.Count == 1 ? "kysely" : "kyselyä")} tarkistettu, {errorCount} {(errorCount == 1 ? "virhe" : "virhettä")}");
        return errorCount == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string? FindCrashingFile(string path)
    {
        IEnumerable<string> candidates = File.Exists(path) ? [path] : Directory.EnumerateFiles(path, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        foreach (var file in candidates)
        {
            try
            {
                SurveyParser.Parse(File.ReadAllText(file), file);
            }
#pragma warning disable CA1031 // Looking for the file that throws.
            catch (Exception)
#pragma warning restore CA1031
            {
                return file;
            }
        }

        return null;
    }
}
