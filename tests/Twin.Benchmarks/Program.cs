using BenchmarkDotNet.Running;
using Twin.Benchmarks;
using Twin.Benchmarks.Metrics;

// `cpu` runs the export CPU measurement (ExportCpuMeasurement), `receive` its sink process, `metrics` the rollup and
// query measurement (MetricsMeasurement), `regression` a regression run end to end (RegressionMeasurement), `export` a dataset export from
// the Table store to Blob Storage (ExportMeasurement), `near-duplicates` the dataset near-duplicate check
// (NearDuplicateMeasurement), `refusals` a flood of refused chats (RefusalMeasurement); anything
// else goes to BenchmarkDotNet.
return args switch
{
    ["cpu", ..] => await ExportCpuMeasurement.RunAsync(args[1..]),
    ["receive"] => await SinkProcess.ServeAsync(),
    ["metrics", ..] => await MetricsMeasurement.RunAsync(args[1..]),
    ["regression", ..] => await Twin.Benchmarks.Regression.RegressionMeasurement.RunAsync(args[1..]),
    ["export", ..] => await Twin.Benchmarks.Export.ExportMeasurement.RunAsync(args[1..]),
    ["refusals", ..] => await RefusalMeasurement.RunAsync(args[1..]),
    ["near-duplicates", ..] => await Twin.Benchmarks.Datasets.NearDuplicateMeasurement.RunAsync(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ChatPipelineBenchmarks).Assembly).Run(args);
    return 0;
}
