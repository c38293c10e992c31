using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.WeChat.Push;

/// <summary>
/// Parses push bodies, JSON or XML. XML is first turned into the same JSON shape (element → property,
/// repeated elements → array) so one tolerant reader covers both: CreateTime as a string, label "100",
/// and a subscribe-event List that is an object for one item and an array for several.
/// </summary>
public static class PushMessageParser
{
    public static PushFormat DetectFormat(string body) =>
        body.AsSpan().TrimStart().StartsWith("<") ? PushFormat.Xml : PushFormat.Json;

    /// <summary>Reads the safe-mode envelope's <c>Encrypt</c>; null when the body has none (plaintext mode).</summary>
    public static string? ReadEncrypt(string body)
    {
        var root = ToJson(body);
        return root?["Encrypt"] is JsonValue v ? v.ToString() : null;
    }

    /// <exception cref="FormatException">The body is not a WeChat push message.</exception>
    public static PushMessage Parse(string body)
    {
        var format = DetectFormat(body);
        var root = ToJson(body) ?? throw new FormatException("The push body is not a JSON object or an <xml> document.");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in root)
        {
            if (node is JsonValue value && Scalar(value) is { } text) fields[name] = text;
        }
        var msgType = fields.GetValueOrDefault("MsgType") ?? throw new FormatException("The push message has no MsgType.");
        long.TryParse(fields.GetValueOrDefault("CreateTime"), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var createTime);
        var msgId = fields.GetValueOrDefault("MsgId") ?? fields.GetValueOrDefault("MsgID");
        var evt = fields.GetValueOrDefault("Event");
        return new PushMessage(
            fields.GetValueOrDefault("ToUserName"), fields.GetValueOrDefault("FromUserName"), createTime, msgType, evt, msgId,
            fields, evt == "wxa_media_check" ? ReadMediaCheck(root, fields) : null, ReadSubscribeEvents(root), format);
    }

    private static MediaCheckEvent? ReadMediaCheck(JsonObject root, Dictionary<string, string> fields)
    {
        var traceId = fields.GetValueOrDefault("trace_id");
        if (traceId is null) return null;
        var result = root["result"] as JsonObject;
        var suggest = result?["suggest"] is JsonValue s ? Scalar(s) : null;
        var label = result?["label"] is JsonValue l && int.TryParse(Scalar(l), out var n) ? n : (int?)null;
        var errCode = int.TryParse(fields.GetValueOrDefault("errcode"), out var e) ? e : 0;
        return new MediaCheckEvent(traceId, suggest, label, errCode);
    }

    private static List<SubscribeEventItem> ReadSubscribeEvents(JsonObject root)
    {
        // JSON puts List at the root; XML wraps it in SubscribeMsgPopupEvent / SubscribeMsgChangeEvent / SubscribeMsgSentEvent.
        var list = root["List"] ?? root.Select(p => p.Value).OfType<JsonObject>().Select(o => o["List"]).FirstOrDefault(l => l is not null);
        var items = list switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject one => [one],
            _ => [],
        };
        return items.Select(i => new SubscribeEventItem(
            Text(i, "TemplateId"),
            Text(i, "SubscribeStatusString") ?? Text(i, "ErrorStatus"),
            Text(i, "MsgID") ?? Text(i, "MsgId"),
            int.TryParse(Text(i, "ErrorCode"), out var code) ? code : null,
            Text(i, "PopupScene"))).ToList();
    }

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v ? Scalar(v) : null;

    private static string? Scalar(JsonValue value) => WeChatJson.ReadText(value.GetValue<JsonElement>());

    private static JsonObject? ToJson(string body)
    {
        try
        {
            return DetectFormat(body) == PushFormat.Xml ? XmlToJson(body) : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException) { return null; }
        catch (XmlException) { return null; }
    }

    private static JsonObject? XmlToJson(string body)
    {
        // No DTDs: a push body never has one, and refusing them closes XXE.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(body), settings);
        var doc = XDocument.Load(reader);
        return doc.Root is null ? null : ElementToJson(doc.Root) as JsonObject;
    }

    private static JsonNode ElementToJson(XElement element)
    {
        if (!element.HasElements)
            return JsonValue.Create(JsonSerializer.SerializeToElement(element.Value))!;
        var obj = new JsonObject();
        foreach (var group in element.Elements().GroupBy(e => e.Name.LocalName))
        {
            var nodes = group.Select(ElementToJson).ToList();
            obj[group.Key] = nodes.Count == 1 ? nodes[0] : new JsonArray([.. nodes]);
        }
        return obj;
    }
}
