using System.Collections.Concurrent;

namespace PhotoReceipt.Imaging.Models;

/// <summary>The networks one photo needs. OpenCV's Net is not thread-safe, so each photo in flight holds its own set.</summary>
internal sealed class ModelSet : IDisposable
{
    public ModelSet(ModelFiles files)
    {
        FarFaces = FaceDetector.FullRange(files);
        NearFaces = FaceDetector.ShortRange(files);
        Mesh = new FaceMeshModel(files);
        Segmenter = new PersonSegmenter(files);
    }

    public FaceDetector FarFaces { get; }
    public FaceDetector NearFaces { get; }
    public FaceMeshModel Mesh { get; }
    public PersonSegmenter Segmenter { get; }

    public void Dispose()
    {
        FarFaces.Dispose();
        NearFaces.Dispose();
        Mesh.Dispose();
        Segmenter.Dispose();
    }
}

/// <summary>Model sets made at start-up (one per photo that may run at once), lent out per photo.</summary>
internal sealed class ModelPool(ModelFiles files) : IDisposable
{
    private readonly ConcurrentBag<ModelSet> _idle = [];

    public ModelFiles Files { get; } = files;

    public void Warm(int count)
    {
        for (var i = _idle.Count; i < count; i++) _idle.Add(new ModelSet(Files));
    }

    public ModelSet Rent() => _idle.TryTake(out var set) ? set : new ModelSet(Files);

    public void Return(ModelSet set) => _idle.Add(set);

    public void Dispose()
    {
        while (_idle.TryTake(out var set)) set.Dispose();
    }
}
