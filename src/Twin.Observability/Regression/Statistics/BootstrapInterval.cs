namespace Twin.Observability.Regression.Statistics;

/// <summary>The mean of the paired differences (candidate − baseline) and a percentile bootstrap interval around it.</summary>
public sealed record BootstrapInterval(double MeanDifference, double Low, double High);
