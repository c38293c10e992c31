namespace PhotoReceipt.Testing;

/// <summary>Where the repository and the shared fixtures are, found from the test's own folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/fixtures/portraits relative to the repository root.</summary>
    public static string Portraits => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "portraits"));

    public static string Portrait(string name) => Path.Combine(Portraits, name);

    /// <summary>A path under ../shared (the fixtures and references beside the repository); it must exist.</summary>
    public static string Shared(params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([Root, "..", "shared", .. parts]));
        if (!Directory.Exists(path) && !File.Exists(path)) throw new InvalidOperationException($"{path} not found: the shared fixtures sit beside the repository");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PhotoReceipt.sln"))) return dir.FullName;
        throw new InvalidOperationException($"PhotoReceipt.sln not found above {AppContext.BaseDirectory}");
    }
}
