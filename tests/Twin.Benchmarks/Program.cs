using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Twin.Benchmarks.ChatPipelineBenchmarks).Assembly).Run(args);
