using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Arviointi.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Arviointi.Benchmarks.RoundReadBenchmarks).Assembly).Run(args);
