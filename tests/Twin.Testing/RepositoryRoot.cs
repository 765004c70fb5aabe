namespace Twin.Testing;

/// <summary>Finds the repository root (where <c>Twin.Functions.sln</c> is) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Twin.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Twin.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
