using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhotoReceipt.Core.Photos;

/// <summary>
/// The report's stored and wire form: {"usable", "checks": [{"id", "status": "pass"|"warn"|"fail",
/// "measured", "allowed", "message"}]}, the shape DESIGN.md promises the mini-program.
/// </summary>
public static class CheckReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Wire(bool Usable, IReadOnlyList<Check> Checks);

    public static string Serialize(CheckReport report) => JsonSerializer.Serialize(new Wire(report.Usable, report.Checks), Options);

    public static CheckReport Deserialize(string json)
    {
        var wire = JsonSerializer.Deserialize<Wire>(json, Options) ?? throw new JsonException("empty report");
        return new CheckReport(wire.Checks);
    }
}
