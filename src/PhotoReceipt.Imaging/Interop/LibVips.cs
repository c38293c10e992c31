using System.Runtime.InteropServices;

namespace PhotoReceipt.Imaging.Interop;

/// <summary>
/// The libvips, GObject and GLib entry points we use. Only fixed-arity functions are imported:
/// libvips' varargs operations are reached through <see cref="VipsOperationCall"/> and GValues,
/// because .NET cannot pass optional doubles through C varargs (the callee reads %al).
/// </summary>
internal static partial class LibVips
{
    private const string Vips = "libvips.so.42";
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_init(string argv0);

    [LibraryImport(Vips)]
    internal static partial void vips_cache_set_max(int max);

    [LibraryImport(Vips)]
    internal static partial void vips_concurrency_set(int concurrency);

    [LibraryImport(Vips)]
    internal static partial IntPtr vips_error_buffer_copy();

    [LibraryImport(Vips)]
    internal static partial void vips_error_clear();

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr vips_operation_new(string name);

    [LibraryImport(Vips)]
    internal static partial IntPtr vips_cache_operation_build(IntPtr operation);

    [LibraryImport(Vips)]
    internal static partial void vips_object_unref_outputs(IntPtr operation);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_object_get_argument(IntPtr obj, string name, out IntPtr pspec, out IntPtr argumentClass, out IntPtr argumentInstance);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_enum_from_nick(string domain, nuint type, string nick);

    [LibraryImport(Vips)]
    internal static unsafe partial IntPtr vips_foreign_find_load_buffer(byte* data, nuint size);

    [LibraryImport(Vips)]
    internal static unsafe partial IntPtr vips_blob_copy(byte* data, nuint length);

    [LibraryImport(Vips)]
    internal static partial IntPtr vips_blob_get(IntPtr blob, out nuint length);

    [LibraryImport(Vips)]
    internal static partial void vips_area_unref(IntPtr area);

    [LibraryImport(Vips)]
    internal static unsafe partial IntPtr vips_array_double_new(double* array, int n);

    [LibraryImport(Vips)]
    internal static unsafe partial IntPtr vips_array_int_new(int* array, int n);

    [LibraryImport(Vips)]
    internal static partial nuint vips_blob_get_type();

    [LibraryImport(Vips)]
    internal static partial nuint vips_array_double_get_type();

    [LibraryImport(Vips)]
    internal static partial nuint vips_array_int_get_type();

    [LibraryImport(Vips)]
    internal static partial nuint vips_image_get_type();

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_width(IntPtr image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_height(IntPtr image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_bands(IntPtr image);

    /// <summary>vips_text stores the ink rectangle's offset from the layout origin here.</summary>
    [LibraryImport(Vips)]
    internal static partial int vips_image_get_xoffset(IntPtr image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_yoffset(IntPtr image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_format(IntPtr image);

    [LibraryImport(Vips)]
    internal static partial int vips_image_get_interpretation(IntPtr image);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void vips_image_set_int(IntPtr image, string name, int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int vips_image_get_int(IntPtr image, string name, out int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nuint vips_image_get_typeof(IntPtr image, string name);

    [LibraryImport(Vips)]
    internal static unsafe partial IntPtr vips_image_new_from_memory_copy(byte* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Vips)]
    internal static partial IntPtr vips_image_write_to_memory(IntPtr image, out nuint size);

    [LibraryImport(Vips)]
    internal static partial IntPtr vips_image_copy_memory(IntPtr image);

    [LibraryImport(GObject)]
    internal static partial IntPtr g_value_init(ref GValue value, nuint type);

    [LibraryImport(GObject)]
    internal static partial void g_value_unset(ref GValue value);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_int(ref GValue value, int v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_uint64(ref GValue value, ulong v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_double(ref GValue value, double v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_boolean(ref GValue value, int v);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_value_set_string(ref GValue value, string v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_enum(ref GValue value, int v);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_boxed(ref GValue value, IntPtr boxed);

    [LibraryImport(GObject)]
    internal static partial void g_value_set_object(ref GValue value, IntPtr obj);

    [LibraryImport(GObject)]
    internal static partial IntPtr g_value_dup_object(ref GValue value);

    [LibraryImport(GObject)]
    internal static partial IntPtr g_value_get_boxed(ref GValue value);

    [LibraryImport(GObject)]
    internal static partial int g_value_get_int(ref GValue value);

    [LibraryImport(GObject)]
    internal static partial double g_value_get_double(ref GValue value);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_set_property(IntPtr obj, string name, ref GValue value);

    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void g_object_get_property(IntPtr obj, string name, ref GValue value);

    [LibraryImport(GObject)]
    internal static partial void g_object_unref(IntPtr obj);

    [LibraryImport(GObject)]
    internal static partial nuint g_type_fundamental(nuint type);

    [LibraryImport(GObject)]
    internal static partial IntPtr g_type_name(nuint type);

    [LibraryImport(GLib)]
    internal static partial void g_free(IntPtr memory);
}

/// <summary>GLib's GValue: a GType followed by two 64-bit data words.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nuint GType;
    public long Data0;
    public long Data1;
}

/// <summary>Fundamental GType ids (G_TYPE_MAKE_FUNDAMENTAL(n) = n &lt;&lt; 2).</summary>
internal static class GTypes
{
    public const nuint Boolean = 5 << 2;
    public const nuint Int = 6 << 2;
    public const nuint UInt64 = 11 << 2;
    public const nuint Enum = 12 << 2;
    public const nuint Flags = 13 << 2;
    public const nuint Double = 15 << 2;
    public const nuint String = 16 << 2;
    public const nuint Boxed = 18 << 2;
    public const nuint Object = 20 << 2;
}
