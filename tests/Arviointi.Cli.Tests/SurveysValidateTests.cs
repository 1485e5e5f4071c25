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

    private void CopyRepositorySurveys()
    {
        var source = RepositorySurveys();
        foreach (var file in Directory.EnumerateFiles(source, "*.yaml", SearchOption.AllDirectories))
        {
            var target = folder.File(Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void The_repositorys_own_surveys_are_valid()
    {
        var surveys = RepositorySurveys();
        var count = Directory.EnumerateFiles(surveys, "*.yaml", SearchOption.AllDirectories).Count();

        var result = CliRunner.Run("surveys", "validate", surveys);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"^{count} tiedostoa tarkistettu \(6 kyselyä, [2-9] teemamoduulia\), 0 virhettä$", result.Stdout.Trim());
    }

    [Fact]
    public void A_missing_translation_is_reported_with_file_line_and_column_and_fails()
    {
        CopyRepositorySurveys();
        var bank = folder.File(Path.Combine("items", "ecec-guardian.yaml"));
        var lines = File.ReadAllLines(bank).ToList();
        var item = lines.FindIndex(l => l.Contains("id: vk_h_002", StringComparison.Ordinal));
        var swedish = lines.FindIndex(item, l => l.TrimStart().StartsWith("sv:", StringComparison.Ordinal));
        lines.RemoveAt(swedish);
        File.WriteAllLines(bank, lines);

        var result = CliRunner.Run("surveys", "validate", folder.Path);

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Matches(@"items/ecec-guardian\.yaml:\d+:\d+: kysymykseltä 'vk_h_002' puuttuu ruotsinkielinen teksti \('text'\), jota kysely 'ecec-guardian' tarvitsee$", error);
        Assert.EndsWith(", 1 virhe", result.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_even_YAML_fails_without_a_stack_trace()
    {
        CopyRepositorySurveys();
        folder.Write(Path.Combine("ecec", "broken.yaml"), "id: rikki\nsector: ecec\ngroup: [guardian\nversion: 1\n");

        var result = CliRunner.Run("surveys", "validate", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ecec/broken.yaml:", result.Stderr, StringComparison.Ordinal);
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
