using BenchmarkDotNet.Running;

namespace Arviointi.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Arviointi.Benchmarks -- --filter '*' --job short
/// (a named class: top-level statements would declare a Program that hides the web app's).
/// </summary>
internal static class Benchmarks
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Benchmarks).Assembly).Run(args);
}
