using BenchmarkDotNet.Running;

namespace Arviointi.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- --filter '*' --job short
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- round   (a whole round: median time and peak memory)
/// (a named class: top-level statements would declare a Program that hides the web app's).
/// </summary>
internal static class Benchmarks
{
    public static async Task Main(string[] args)
    {
        if (args is ["round", ..])
        {
            await WholeRound.RunAsync();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Benchmarks).Assembly).Run(args);
    }
}
