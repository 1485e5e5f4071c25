using System.CommandLine;
using Arviointi.Surveys;

namespace Arviointi.Cli.Surveys;

/// <summary><c>arviointi surveys validate [PATH]</c>: checks the survey folder before it is imported.</summary>
internal static class SurveysCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var path = new Argument<string>("PATH")
        {
            Description = "Kyselykansio (item bank, kyselyt, teemamoduulit ja vuosikello).",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "surveys",
        };
        var validate = new Command("validate", "Tarkistaa kyselymäärittelyt ja tulostaa virheet muodossa tiedosto:rivi:sarake: viesti.") { path };
        validate.SetAction(parseResult => Validate(parseResult.GetRequiredValue(path), stdout, stderr));

        return new Command("surveys", "Kyselymäärittelyjen käsittely.") { validate };
    }

    private static int Validate(string path, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(path))
        {
            stderr.WriteLine($"{path}: kansiota ei löydy");
            return ExitCodes.Failure;
        }

        var library = SurveyLibrary.Load(path);
        foreach (var error in library.Errors)
        {
            stderr.WriteLine(error);
        }

        var count = library.Errors.Count;
        stdout.WriteLine($"{library.FileCount} {(library.FileCount == 1 ? "tiedosto" : "tiedostoa")} tarkistettu ({library.SurveyIds.Count} kyselyä, {library.ModuleIds.Count} teemamoduulia), {count} {(count == 1 ? "virhe" : "virhettä")}");
        return count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
