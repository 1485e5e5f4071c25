using System.CommandLine;
using Arviointi.Cli.Stats;
using Arviointi.Cli.Surveys;

namespace Arviointi.Cli;

internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one command line with the given output streams; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Seudullisen arviointikyselyn ylläpito- ja analyysityökalut.")
        {
            SurveysCommand.Create(stdout, stderr),
            StatsCommand.Create(stdout, stderr),
            Privacy.DisclosureCommand.Create(stdout, stderr),
            Export.ExportCommand.Create(stdout, stderr),
        };

        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
