namespace PhotoReceipt.Imaging;

/// <summary>Process-wide libvips and OpenCV settings, applied once.</summary>
internal static class ImagingRuntime
{
    private static readonly Lock Gate = new();
    private static bool _started;

    /// <param name="vipsConcurrency">libvips worker threads per operation; 1 lets our own bounded
    /// parallelism use the cores instead of two thread pools fighting over them.</param>
    public static void EnsureStarted(int vipsConcurrency)
    {
        lock (Gate)
        {
            if (_started) return;
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
