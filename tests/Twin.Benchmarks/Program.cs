using BenchmarkDotNet.Running;
using Twin.Benchmarks;

// `cpu` runs the export CPU measurement (ExportCpuMeasurement); anything else goes to BenchmarkDotNet.
return args is ["cpu", ..]
    ? await ExportCpuMeasurement.RunAsync(args[1..])
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ChatPipelineBenchmarks).Assembly).Run(args);
    return 0;
}
