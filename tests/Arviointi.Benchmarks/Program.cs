using BenchmarkDotNet.Running;

namespace Arviointi.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- --filter '*' --job short
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- round   (a whole round: median time and peak memory)
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- round 4 dataset   (a round four times as large: the raw read and the dataset only)
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- signin 41   (failed sign-ins of each kind: median times side by side)
/// (a named class: top-level statements would declare a Program that hides the web app's).
/// </summary>
internal static class Benchmarks
{
    public static async Task Main(string[] args)
    {
        if (args is ["round", .. var rest])
        {
            await WholeRound.RunAsync(rest is [var scale, ..] ? int.Parse(scale, System.Globalization.CultureInfo.InvariantCulture) : 1, datasetOnly: rest is [_, "dataset"]);
            return;
        }

        if (args is ["signin", .. var count])
        {
            await SignInTiming.RunAsync(count is [var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 41);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Benchmarks).Assembly).Run(args);
    }
}
