using PhotoReceipt.Imaging.Interop;

namespace PhotoReceipt.Imaging.Vips;

/// <summary>Process-wide libvips start-up, done once.</summary>
internal static class VipsRuntime
{
    private static readonly Lock Gate = new();
    private static bool _started;

    /// <param name="concurrency">libvips worker threads per operation; 1 lets our own bounded
    /// parallelism use the cores instead of two thread pools fighting over them.</param>
    public static void EnsureStarted(int concurrency)
    {
        lock (Gate)
        {
            if (_started) return;
            if (LibVips.vips_init("photoreceipt") != 0) throw VipsOperationCall.Error("vips_init");
            // The operation cache would otherwise keep decoded images alive in a long-running server.
            LibVips.vips_cache_set_max(0);
            if (concurrency > 0) LibVips.vips_concurrency_set(concurrency);
            _started = true;
        }
    }
}
