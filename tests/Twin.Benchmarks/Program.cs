using BenchmarkDotNet.Running;
using Twin.Benchmarks;

// `cpu` runs the export CPU measurement (ExportCpuMeasurement), `receive` its sink process; anything else goes to BenchmarkDotNet.
return args switch
{
    ["cpu", ..] => await ExportCpuMeasurement.RunAsync(args[1..]),
    ["receive"] => await SinkProcess.ServeAsync(),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ChatPipelineBenchmarks).Assembly).Run(args);
    return 0;
}
