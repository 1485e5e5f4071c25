using System.Diagnostics;

namespace Arviointi.Web.Tests.Infrastructure;

/// <summary>The <c>arviointi</c> command line as its own process on the factory's database file (the web tests build it).</summary>
internal static class Cli
{
    /// <summary>Runs <c>arviointi <paramref name="arguments"/> --database …</c> (no database without a factory); its exit code and everything it said.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ArviointiFactory? factory, params string[] arguments)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var cli = Path.Combine(ArviointiFactory.RepositoryRoot(), "src", "Arviointi.Cli", "bin", configuration, "net10.0", "arviointi.dll");
        var start = new ProcessStartInfo("dotnet", factory is null ? [cli, .. arguments] : [cli, .. arguments, "--database", factory.DatabasePath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
