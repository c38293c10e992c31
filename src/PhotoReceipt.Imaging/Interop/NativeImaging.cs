using System.Runtime.InteropServices;

namespace PhotoReceipt.Imaging.Interop;

/// <summary>Our own native library (Native/photoreceipt_native.cpp), built by this project's csproj.</summary>
internal static unsafe partial class NativeImaging
{
    private const string Lib = "photoreceipt_native";
    public const int ErrorLength = 512;

    [LibraryImport(Lib)]
    internal static partial void pr_set_threads(int threads);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int pr_model_load(string path, out LandmarkModelHandle model, byte* err, int errLength);

    [LibraryImport(Lib)]
    internal static partial void pr_model_free(IntPtr model);

    [LibraryImport(Lib)]
    internal static partial int pr_detector_new(out FaceDetectorHandle detector, byte* err, int errLength);

    [LibraryImport(Lib)]
    internal static partial void pr_detector_free(IntPtr detector);

    [LibraryImport(Lib)]
    internal static partial int pr_detect(FaceDetectorHandle detector, LandmarkModelHandle model, byte* rgb, int width, int height, int stride,
        int upsample, double scanScale, double threshold, NativeFace* faces, int maxFaces, out int found, byte* err, int errLength);

    [LibraryImport(Lib)]
    internal static partial int pr_grabcut(byte* rgb, int width, int height, int stride, byte* trimap, int iterations, byte* maskOut, byte* err, int errLength);

    [LibraryImport(Lib)]
    internal static partial int pr_warp_affine(byte* src, int srcWidth, int srcHeight, int srcStride, int channels, double* matrix,
        byte* dst, int dstWidth, int dstHeight, int dstStride, byte* err, int errLength);

    [LibraryImport(Lib)]
    internal static partial int pr_matte_composite(byte* rgb, int width, int height, int stride, byte* coarseMask, int radius, double eps,
        byte bgR, byte bgG, byte bgB, byte* alphaOut, byte* err, int errLength);

    /// <summary>Throws with the native message when a call failed.</summary>
    internal static void Check(int code, byte* err, string what)
    {
        if (code == 0) return;
        var message = Marshal.PtrToStringUTF8((IntPtr)err) ?? "no message";
        throw new ImagingException($"{what} failed ({code}): {message}");
    }
}

/// <summary>Mirrors <c>pr_face</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeFace
{
    public float Left, Top, Right, Bottom;
    public double Score;
    public fixed float Landmarks[136];
}

internal sealed class LandmarkModelHandle : SafeHandle
{
    public LandmarkModelHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        NativeImaging.pr_model_free(handle);
        return true;
    }
}

internal sealed class FaceDetectorHandle : SafeHandle
{
    public FaceDetectorHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        NativeImaging.pr_detector_free(handle);
        return true;
    }
}
