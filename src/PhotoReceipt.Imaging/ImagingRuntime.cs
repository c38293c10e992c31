using System.Runtime.InteropServices;

namespace PhotoReceipt.Imaging;

/// <summary>Process-wide libvips, OpenCV and allocator settings, applied once.</summary>
internal static partial class ImagingRuntime
{
    private const int MallocArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    private static readonly Lock Gate = new();
    private static bool _started;

    /// <param name="vipsConcurrency">libvips worker threads per operation; 1 lets our own bounded
    /// parallelism use the cores instead of two thread pools fighting over them.</param>
    public static void EnsureStarted(int vipsConcurrency)
    {
        lock (Gate)
        {
            if (_started) return;
            // The encoders that run on a photo's own thread (Encoding/): missing, every photo would fail.
            foreach (var (library, package) in new[] { (Encoding.TurboJpeg.Library, "libturbojpeg0"), (Encoding.LibPng.Library, "libpng16-16") })
            {
                if (!NativeLibrary.TryLoad(library, out _))
                    throw new ImagingException($"{library} is missing: install Debian's {package} (./build.sh installs it; so does deploy/Dockerfile)");
            }
            // libvips and OpenCV allocate their buffers (megabytes a photo) with malloc from many
            // threads; glibc gives each thread its own arena and keeps what was freed in it, so a
            // server's resident memory climbs with the thread count. This caps the arenas made from
            // now on; threads that allocated before (the runtime's, the thread pool's) keep theirs,
            // so the processes are also started with MALLOC_ARENA_MAX=2 (Dockerfile, build.sh), which
            // covers every thread (bench imaging, two photos in flight: about 380 MB peak with this
            // call alone, 286 MB with the variable).
            if (OperatingSystem.IsLinux()) _ = MallOpt(MallocArenaMax, 2);
            // The operation cache would otherwise keep decoded images alive in a long-running server.
            NetVips.Cache.Max = 0;
            NetVips.Cache.MaxMem = 0;
            NetVips.Cache.MaxFiles = 0;
            if (vipsConcurrency > 0) NetVips.NetVips.Concurrency = vipsConcurrency;
            // One photo per core, each single-threaded: OpenCV's own pool would oversubscribe.
            OpenCvSharp.Cv2.SetNumThreads(1);
            _started = true;
        }
    }
}
