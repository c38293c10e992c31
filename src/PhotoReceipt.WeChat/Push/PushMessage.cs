namespace PhotoReceipt.WeChat.Push;

/// <summary>
/// One message-push delivery after decryption, from JSON or XML alike. Scalars every message has are typed;
/// everything else is in <see cref="Fields"/> by its wire name.
/// </summary>
public sealed record PushMessage(
    string? ToUserName,
    string? FromUserName,
    long CreateTime,
    string MsgType,
    string? Event,
    string? MsgId,
    IReadOnlyDictionary<string, string> Fields,
    MediaCheckEvent? MediaCheck,
    IReadOnlyList<SubscribeEventItem> SubscribeEvents,
    PushFormat Format)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var v) ? v : null;

    /// <summary>Text content (MsgType text).</summary>
    public string? Content => Field("Content");
    /// <summary>user_enter_tempsession's session-from (e.g. "order:123" from the contact button).</summary>
    public string? SessionFrom => Field("SessionFrom");

    /// <summary>
    /// WeChat retries after ~5 s, so deliveries are de-duplicated: by MsgId when there is one, otherwise (events)
    /// by sender + CreateTime + event, plus what tells same-second events apart: the media check's trace_id, or
    /// the subscribe events' template ids and MsgIDs (two notices sent to one user in one second).
    /// </summary>
    public string DedupeKey => MsgId is { Length: > 0 }
        ? "msg:" + MsgId
        : $"evt:{FromUserName}:{CreateTime}:{Event}:{MediaCheck?.TraceId}"
          + string.Concat(SubscribeEvents.Select(e => $":{e.TemplateId}/{e.MsgId}"));

    /// <summary>Customer-service traffic a support agent should see in the conversation log.</summary>
    public bool IsCustomerService => MsgType is "text" or "image" or "miniprogrampage"
        || (MsgType == "event" && Event == "user_enter_tempsession");
}

public enum PushFormat { Json, Xml }

/// <summary>wxa_media_check: the verdict for a media_check_async trace id.</summary>
/// <param name="Suggest">risky | pass | review; null when WeChat could not download the file.</param>
/// <param name="ErrCode">0, or -1008 when the download failed.</param>
public sealed record MediaCheckEvent(string TraceId, string? Suggest, int? Label, int ErrCode);

/// <summary>One item of a subscribe_msg_popup_event / _change_event / _sent_event.</summary>
/// <param name="Status">SubscribeStatusString (accept/reject) or, for sent events, ErrorStatus.</param>
public sealed record SubscribeEventItem(string? TemplateId, string? Status, string? MsgId, int? ErrorCode, string? PopupScene);
