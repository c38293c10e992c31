using System.Runtime.InteropServices;

namespace PhotoReceipt.Imaging.Interop;

/// <summary>
/// Calls a libvips operation the way NetVips does: vips_operation_new, one GValue per argument
/// (typed from the argument's GParamSpec, so doubles, enums and arrays are passed correctly),
/// vips_cache_operation_build, then the outputs read back as GValues.
/// </summary>
internal static class VipsOperationCall
{
    private static readonly nuint BlobType = LibVips.vips_blob_get_type();
    private static readonly nuint ArrayDoubleType = LibVips.vips_array_double_get_type();
    private static readonly nuint ArrayIntType = LibVips.vips_array_int_get_type();

    /// <summary>Runs <paramref name="name"/> and returns the requested outputs in order:
    /// images as <see cref="VipsImageHandle"/>, blobs as byte[], ints and doubles boxed.</summary>
    public static object[] Run(string name, ReadOnlySpan<(string Name, object Value)> inputs, params ReadOnlySpan<string> outputs)
    {
        var op = LibVips.vips_operation_new(name);
        if (op == IntPtr.Zero) throw Error($"libvips has no operation '{name}'");
        try
        {
            foreach (var (argName, value) in inputs) Set(op, name, argName, value);
            var built = LibVips.vips_cache_operation_build(op);
            if (built == IntPtr.Zero)
            {
                LibVips.vips_object_unref_outputs(op);
                throw Error($"libvips {name}");
            }
            try
            {
                var results = new object[outputs.Length];
                for (var i = 0; i < outputs.Length; i++) results[i] = Get(built, name, outputs[i]);
                return results;
            }
            finally
            {
                LibVips.vips_object_unref_outputs(built);
                LibVips.g_object_unref(built);
            }
        }
        finally
        {
            LibVips.g_object_unref(op);
        }
    }

    /// <summary>Runs an operation whose single output is the image "out".</summary>
    public static VipsImageHandle Image(string name, params ReadOnlySpan<(string Name, object Value)> inputs) =>
        (VipsImageHandle)Run(name, inputs, "out")[0];

    /// <summary>The libvips error text (and clears it), prefixed with what we were doing.</summary>
    public static ImagingException Error(string context)
    {
        var buffer = LibVips.vips_error_buffer_copy();
        var text = buffer == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(buffer) ?? "";
        if (buffer != IntPtr.Zero) LibVips.g_free(buffer);
        text = text.Trim();
        return new ImagingException(text.Length == 0 ? context : $"{context}: {text}");
    }

    private static nuint ArgumentType(IntPtr op, string opName, string argName)
    {
        if (LibVips.vips_object_get_argument(op, argName, out var pspec, out _, out _) != 0)
        {
            LibVips.vips_error_clear();
            throw new ImagingException($"libvips {opName} has no argument '{argName}'");
        }
        // G_PARAM_SPEC_VALUE_TYPE: GTypeInstance, name, flags (padded), then value_type.
        return (nuint)Marshal.ReadIntPtr(pspec, 24);
    }

    private static unsafe void Set(IntPtr op, string opName, string argName, object value)
    {
        var type = ArgumentType(op, opName, argName);
        var fundamental = LibVips.g_type_fundamental(type);
        var gv = default(GValue);
        LibVips.g_value_init(ref gv, type);
        try
        {
            switch (value)
            {
                case bool b:
                    LibVips.g_value_set_boolean(ref gv, b ? 1 : 0);
                    break;
                case int i when fundamental == GTypes.Double:
                    LibVips.g_value_set_double(ref gv, i);
                    break;
                case int i when fundamental == GTypes.Enum:
                    LibVips.g_value_set_enum(ref gv, i);
                    break;
                case int i:
                    LibVips.g_value_set_int(ref gv, i);
                    break;
                case double d:
                    LibVips.g_value_set_double(ref gv, d);
                    break;
                case string s when fundamental == GTypes.Enum:
                    var v = LibVips.vips_enum_from_nick("photoreceipt", type, s);
                    if (v < 0) throw Error($"libvips {opName} argument '{argName}'");
                    LibVips.g_value_set_enum(ref gv, v);
                    break;
                case string s:
                    LibVips.g_value_set_string(ref gv, s);
                    break;
                case VipsImageHandle image:
                    SetHandle(ref gv, image, LibVips.g_value_set_object);
                    break;
                case VipsAreaHandle area:
                    SetHandle(ref gv, area, LibVips.g_value_set_boxed);
                    break;
                case double[] doubles when type == ArrayDoubleType:
                    fixed (double* p = doubles)
                    {
                        var array = LibVips.vips_array_double_new(p, doubles.Length);
                        LibVips.g_value_set_boxed(ref gv, array);
                        LibVips.vips_area_unref(array);
                    }
                    break;
                case int[] ints when type == ArrayIntType:
                    fixed (int* p = ints)
                    {
                        var array = LibVips.vips_array_int_new(p, ints.Length);
                        LibVips.g_value_set_boxed(ref gv, array);
                        LibVips.vips_area_unref(array);
                    }
                    break;
                default:
                    throw new ImagingException($"libvips {opName} argument '{argName}': cannot pass a {value.GetType().Name}");
            }
            LibVips.g_object_set_property(op, argName, ref gv);
        }
        finally
        {
            LibVips.g_value_unset(ref gv);
        }
    }

    private delegate void PointerSetter(ref GValue gv, IntPtr pointer);

    /// <summary>Stores a SafeHandle's pointer with <paramref name="set"/>, keeping the handle alive while it does.</summary>
    private static void SetHandle(ref GValue gv, SafeHandle handle, PointerSetter set)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            set(ref gv, handle.DangerousGetHandle());
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static object Get(IntPtr op, string opName, string argName)
    {
        var type = ArgumentType(op, opName, argName);
        var fundamental = LibVips.g_type_fundamental(type);
        var gv = default(GValue);
        LibVips.g_value_init(ref gv, type);
        try
        {
            LibVips.g_object_get_property(op, argName, ref gv);
            if (fundamental == GTypes.Object) return new VipsImageHandle(LibVips.g_value_dup_object(ref gv));
            if (fundamental == GTypes.Int) return LibVips.g_value_get_int(ref gv);
            if (fundamental == GTypes.Double) return LibVips.g_value_get_double(ref gv);
            if (type == BlobType)
            {
                var blob = LibVips.g_value_get_boxed(ref gv);
                var data = LibVips.vips_blob_get(blob, out var length);
                var bytes = new byte[checked((int)length)];
                Marshal.Copy(data, bytes, 0, bytes.Length);
                return bytes;
            }
            throw new ImagingException($"libvips {opName} output '{argName}' has a type we do not read");
        }
        finally
        {
            LibVips.g_value_unset(ref gv);
        }
    }
}
