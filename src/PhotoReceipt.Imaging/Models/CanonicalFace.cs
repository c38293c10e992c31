using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Models;

/// <summary>
/// MediaPipe's canonical face: the 468 mesh vertices of an average frontal face in centimetres
/// (x to the subject's left as seen, y up, z towards the camera), read from the canonical_mesh of
/// geometry_pipeline_metadata_landmarks.binarypb. Head pose is the rotation that fits it to a mesh.
/// </summary>
internal static class CanonicalFace
{
    /// <summary>Reads the protobuf: GeometryPipelineMetadata.canonical_mesh (field 1) →
    /// Mesh3d.vertex_buffer (field 3, repeated float, x y z u v per vertex; packed or not).</summary>
    public static Point3[] Load(ModelFiles files)
    {
        var bytes = File.ReadAllBytes(files.PathOf("geometry_pipeline_metadata_landmarks.binarypb"));
        var mesh = Message(bytes, 1) ?? throw new ImagingException("canonical_mesh not found in the geometry metadata");
        var floats = Floats(mesh, 3);
        if (floats.Count != FaceMesh.Count * 5) throw new ImagingException($"canonical mesh has {floats.Count / 5.0} vertices, expected {FaceMesh.Count}");
        var points = new Point3[FaceMesh.Count];
        for (var i = 0; i < points.Length; i++) points[i] = new Point3(floats[5 * i], floats[5 * i + 1], floats[5 * i + 2]);
        return points;
    }

    /// <summary>The bytes of the first length-delimited field <paramref name="number"/>.</summary>
    private static byte[]? Message(byte[] message, int number)
    {
        byte[]? found = null;
        Walk(message, (field, wire, data) =>
        {
            if (found is null && field == number && wire == 2) found = data.ToArray();
        });
        return found;
    }

    /// <summary>Every float of field <paramref name="number"/>, whether written packed (wire type 2) or one by one (5).</summary>
    private static List<float> Floats(byte[] message, int number)
    {
        var values = new List<float>();
        Walk(message, (field, wire, data) =>
        {
            if (field != number) return;
            if (wire == 5) values.Add(BitConverter.ToSingle(data));
            else if (wire == 2) for (var i = 0; i + 4 <= data.Length; i += 4) values.Add(BitConverter.ToSingle(data.Slice(i, 4)));
        });
        return values;
    }

    private delegate void FieldVisitor(int field, int wire, ReadOnlySpan<byte> data);

    private static void Walk(byte[] message, FieldVisitor visit)
    {
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message, ref i);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: Varint(message, ref i); break;
                case 1: visit(field, wire, message.AsSpan(i, 8)); i += 8; break;
                case 5: visit(field, wire, message.AsSpan(i, 4)); i += 4; break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    visit(field, wire, message.AsSpan(i, length));
                    i += length;
                    break;
                default: throw new ImagingException($"unexpected protobuf wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] b, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var x = b[i++];
            value |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80) return value;
        }
    }
}

internal readonly record struct Point3(double X, double Y, double Z);
