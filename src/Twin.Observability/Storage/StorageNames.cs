namespace Twin.Observability.Storage;

/// <summary>Every table, container and queue the app owns, named in one place.</summary>
public static class StorageNames
{
    public static class Tables
    {
        public const string Twins = "Twins";
        public const string ShareTokens = "ShareTokens";
        public const string Conversations = "Conversations";
        public const string Ledger = "Ledger";
        public const string Datasets = "Datasets";
        public const string DatasetItems = "DatasetItems";
        /// <summary>The word lists of the near-duplicate check before it had buckets; only read, to fill <see cref="DatasetBuckets"/> once.</summary>
        public const string DatasetFingerprints = "DatasetFingerprints";
        public const string DatasetBuckets = "DatasetBuckets";
        /// <summary>The prefix of the rollup tables, one per granularity and scope (<c>Metrics.RollupKeys.Table</c>).</summary>
        public const string MetricRollups = "MetricRollups";
        public const string DirtyMinutes = "DirtyMinutes";
        public const string Settings = "Settings";
        public const string Prices = "Prices";
        public const string Costs = "Costs";
        public const string AlertRules = "AlertRules";
        public const string AlertStates = "AlertStates";
        public const string AlertHistory = "AlertHistory";
        public const string MonitorChecks = "MonitorChecks";
        public const string MonitorResults = "MonitorResults";
        public const string MonitorDays = "MonitorDays";
        public const string RegressionRuns = "RegressionRuns";
        public const string RegressionResults = "RegressionResults";
        public const string RegressionBaselines = "RegressionBaselines";
        public const string ExportJobs = "ExportJobs";
        public const string Experiments = "Experiments";
        public const string ScoreConfigs = "ScoreConfigs";
    }

    public static class Containers
    {
        public const string Exports = "exports";

        /// <summary>Blobs whose leases keep singleton work (the metrics rollup) to one instance at a time.</summary>
        public const string Locks = "locks";
    }

    public static class Queues
    {
        public const string Evaluations = "evaluations";
        public const string RegressionRuns = "regression-runs";
        public const string Exports = "exports";
    }
}
