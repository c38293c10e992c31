using System.Security.Cryptography;

namespace PhotoReceipt.Imaging.Models;

/// <summary>One learned model file as the manifest (Models/models.tsv) describes it.</summary>
internal sealed record ModelFile(string Name, string NpmPackage, string Bytes, string Sha256);

/// <summary>
/// The model folder, checked file by file against the committed manifest before anything is
/// loaded: a missing or altered model stops start-up with the file's name and the command that
/// fetches it, instead of a wrong answer on the first photo.
/// </summary>
internal sealed class ModelFiles
{
    public const string FetchCommand = "./build.sh models";

    private ModelFiles(string directory) => Directory = directory;

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public static IReadOnlyList<ModelFile> Manifest { get; } = ReadManifest();

    /// <summary>Verifies every file of the manifest in <paramref name="directory"/>.</summary>
    /// <exception cref="ImagingException">A file is missing, has the wrong size or the wrong sha256.</exception>
    public static ModelFiles Verify(string directory)
    {
        foreach (var model in Manifest)
        {
            var path = Path.Combine(directory, model.Name);
            if (!File.Exists(path))
                throw new ImagingException(
                    $"Model file '{model.Name}' is missing from {directory}. Fetch it with `{FetchCommand}` (npm package {model.NpmPackage}), or set Imaging:ModelDirectory.");
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            if (hash != model.Sha256)
                throw new ImagingException(
                    $"Model file '{path}' does not match its sha256 (expected {model.Sha256}, found {hash}): it is damaged or not the pinned version. Delete it and run `{FetchCommand}`.");
        }
        return new ModelFiles(directory);
    }

    private static List<ModelFile> ReadManifest()
    {
        using var stream = typeof(ModelFiles).Assembly.GetManifestResourceStream("PhotoReceipt.Imaging.Models.models.tsv")
            ?? throw new InvalidOperationException("models.tsv is not embedded");
        using var reader = new StreamReader(stream);
        var files = new List<ModelFile>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split('\t');
            files.Add(new ModelFile(f[0], f[1], f[4], f[5]));
        }
        return files;
    }
}
