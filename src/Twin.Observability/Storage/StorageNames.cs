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
        public const string DatasetFingerprints = "DatasetFingerprints";
    }

    public static class Containers
    {
        public const string Exports = "exports";
    }

    public static class Queues
    {
        public const string Evaluations = "evaluations";
        public const string RegressionRuns = "regression-runs";
    }
}
