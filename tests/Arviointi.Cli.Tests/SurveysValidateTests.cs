namespace Arviointi.Cli.Tests;

public sealed class SurveysValidateTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string RepositorySurveys()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Arviointi.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Arviointi.sln not found above the test binaries."), "surveys");
    }

    [Fact]
    public void The_repositorys_own_surveys_are_valid()
    {
        var surveys = RepositorySurveys();
        var count = Directory.EnumerateFiles(surveys, "*.yaml", SearchOption.AllDirectories).Count();

        var result = CliRunner.Run("surveys", "validate", surveys);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{count} kyselyä tarkistettu, 0 virhettä", result.Stdout.Trim());
    }

    [Fact]
    public void A_broken_survey_is_reported_with_file_line_and_column_and_fails()
    {
        File.Copy(Path.Combine(RepositorySurveys(), "ecec", "guardian.yaml"), folder.File("guardian.yaml"));
        var broken = folder.Write("broken.yaml", "id: rikki\nsector: lukio\ngroup: guardian\nversion: 1\n");

        var result = CliRunner.Run("surveys", "validate", folder.Path);

        Assert.Equal(1, result.ExitCode);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(errors);
        Assert.All(errors, line => Assert.Matches(@"^" + System.Text.RegularExpressions.Regex.Escape(broken) + @":\d+:\d+: \S", line));
        Assert.Matches(@"^2 kyselyä tarkistettu, [1-9]\d* virhe(ttä)?$", result.Stdout.Trim());
    }

    [Fact]
    public void A_survey_that_crashes_the_parser_fails_without_a_stack_trace()
    {
        // YamlDotNet throws InvalidOperationException, not YamlException, for a flow sequence left open at the end.
        folder.Write("broken.yaml", "id: rikki\nsector: ecec\ngroup: [guardian\nversion: 1\n");

        var result = CliRunner.Run("surveys", "validate", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken.yaml", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_reported_and_fails()
    {
        var result = CliRunner.Run("surveys", "validate", folder.File("ei-ole"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ei löydy", result.Stderr, StringComparison.Ordinal);
    }
}
