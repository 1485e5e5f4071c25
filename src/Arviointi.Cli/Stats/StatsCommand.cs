using System.CommandLine;

namespace Arviointi.Cli.Stats;

/// <summary>
/// <c>arviointi stats --input aineisto.zip --output result.json</c> (the research dataset as downloaded, or answers in the
/// long CSV format): item figures per region and municipality, each
/// visible municipality compared with the rest of the region, and a Kruskal–Wallis test across municipalities.
/// </summary>
internal static class StatsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Option<string>("--input")
        {
            Description = "Vastaukset: tutkimusaineiston zip sellaisenaan, tai UTF-8-CSV, otsikkona " + string.Join(',', AnswerCsv.Columns) + "; value on 1–5, EOS tai tyhjä.",
            Required = true,
        };
        var output = new Option<string>("--output")
        {
            Description = "Tulos JSON-tiedostoon.",
            Required = true,
        };
        var command = new Command("stats", "Laskee kysymyskohtaiset tunnusluvut alueelle ja kunnille, vertaa kutakin kuntaa muuhun alueeseen ja kuntia toisiinsa; alle 5 vastauksen luvut piilotetaan.")
        {
            input,
            output,
        };
        command.SetAction(parseResult => Run(parseResult.GetRequiredValue(input), parseResult.GetRequiredValue(output), stdout, stderr));
        return command;
    }

    private static int Run(string inputPath, string outputPath, TextWriter stdout, TextWriter stderr)
    {
        List<ItemResult> results;
        try
        {
            var answers = inputPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? DatasetArchive.Read(inputPath) : AnswerCsv.Read(inputPath);
            results = answers.ItemGroups.Select(ItemAnalysis.Analyze).ToList();
        }
        catch (InputException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.Failure;
        }

        try
        {
            using var stream = File.Create(outputPath);
            ResultJson.Write(stream, results);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{outputPath}: tulosta ei voi kirjoittaa: {e.Message}");
            return ExitCodes.Failure;
        }

        stdout.WriteLine($"{results.Count} kysymyksen ja vastaajaryhmän tunnusluvut kirjoitettu tiedostoon {outputPath}");
        return ExitCodes.Success;
    }
}
