using System.Runtime.InteropServices;

namespace PhotoReceipt.Imaging.Interop;

/// <summary>A reference to a VipsImage (a GObject); released with g_object_unref.</summary>
internal sealed class VipsImageHandle : SafeHandle
{
    public VipsImageHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public VipsImageHandle(IntPtr existing) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(existing);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        LibVips.g_object_unref(handle);
        return true;
    }
}

/// <summary>A VipsBlob / VipsArea we own a reference to; released with vips_area_unref.</summary>
internal sealed class VipsAreaHandle : SafeHandle
{
    public VipsAreaHandle(IntPtr existing) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(existing);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        LibVips.vips_area_unref(handle);
        return true;
    }
}
