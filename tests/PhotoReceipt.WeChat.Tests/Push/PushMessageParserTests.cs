using PhotoReceipt.WeChat.Push;

namespace PhotoReceipt.WeChat.Tests.Push;

/// <summary>The JSON quirks of wechat.md §5 and the XML shapes of the same events.</summary>
public sealed class PushMessageParserTests
{
    [Fact]
    public void A_one_item_List_sent_as_an_object_reads_as_a_list()
    {
        var m = PushMessageParser.Parse("""
            {"ToUserName":"gh_1","FromUserName":"o_user","CreateTime":"1714112445","MsgType":"event",
             "Event":"subscribe_msg_popup_event","List":{"TemplateId":"T1","SubscribeStatusString":"accept","PopupScene":"0"}}
            """);
        Assert.Equal(1714112445, m.CreateTime); // sent as a string
        var item = Assert.Single(m.SubscribeEvents);
        Assert.Equal(("T1", "accept", "0"), (item.TemplateId, item.Status, item.PopupScene));
    }

    [Fact]
    public void Several_items_arrive_as_an_array()
    {
        var m = PushMessageParser.Parse("""
            {"ToUserName":"gh_1","FromUserName":"o_user","CreateTime":1714112445,"MsgType":"event","Event":"subscribe_msg_sent_event",
             "List":[{"TemplateId":"T1","MsgID":"111","ErrorCode":0,"ErrorStatus":"success"},
                     {"TemplateId":"T2","MsgID":"222","ErrorCode":"20004","ErrorStatus":"fail"}]}
            """);
        Assert.Equal([("T1", "111", 0, "success"), ("T2", "222", 20004, "fail")],
            m.SubscribeEvents.Select(e => (e.TemplateId, e.MsgId, e.ErrorCode!.Value, e.Status)).ToList());
    }

    [Fact]
    public void Xml_subscribe_events_are_read_from_their_wrapper()
    {
        var m = PushMessageParser.Parse("""
            <xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>
            <CreateTime>1714112445</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_change_event]]></Event>
            <SubscribeMsgChangeEvent><List><TemplateId><![CDATA[T1]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString></List></SubscribeMsgChangeEvent>
            </xml>
            """);
        Assert.Equal(PushFormat.Xml, m.Format);
        var item = Assert.Single(m.SubscribeEvents);
        Assert.Equal(("T1", "reject"), (item.TemplateId, item.Status));
    }

    [Fact]
    public void Media_check_label_as_a_string_and_download_failures_are_read()
    {
        var verdict = PushMessageParser.Parse("""
            {"ToUserName":"gh_1","FromUserName":"o_sys","CreateTime":1714112445,"MsgType":"event","Event":"wxa_media_check",
             "appid":"wx1","trace_id":"trace-1","version":2,"result":{"suggest":"pass","label":"100"},"detail":[]}
            """);
        Assert.Equal(new MediaCheckEvent("trace-1", "pass", 100, 0), verdict.MediaCheck);

        var failed = PushMessageParser.Parse("""
            {"ToUserName":"gh_1","FromUserName":"o_sys","CreateTime":1714112446,"MsgType":"event","Event":"wxa_media_check",
             "appid":"wx1","trace_id":"trace-2","version":2,"errcode":-1008,"errmsg":"下载错误"}
            """);
        Assert.Equal(new MediaCheckEvent("trace-2", null, null, -1008), failed.MediaCheck);
    }

    [Fact]
    public void Dedupe_key_uses_MsgId_or_sender_time_and_event()
    {
        var text = PushMessageParser.Parse("""{"FromUserName":"o1","CreateTime":1,"MsgType":"text","Content":"hi","MsgId":12345678901234567890}""");
        Assert.Equal("msg:12345678901234567890", text.DedupeKey); // a 20-digit MsgId survives as text
        var enter = PushMessageParser.Parse("""{"FromUserName":"o1","CreateTime":2,"MsgType":"event","Event":"user_enter_tempsession","SessionFrom":"order:9"}""");
        Assert.Equal("evt:o1:2:user_enter_tempsession:", enter.DedupeKey);
        Assert.Equal("order:9", enter.SessionFrom);
        Assert.True(enter.IsCustomerService);
    }

    [Fact]
    public void Two_sent_events_in_the_same_second_have_different_dedupe_keys()
    {
        const string template = """{"FromUserName":"o1","CreateTime":5,"MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"T1","MsgID":"MSG","ErrorCode":0,"ErrorStatus":"success"}}""";
        var a = PushMessageParser.Parse(template.Replace("MSG", "111", StringComparison.Ordinal));
        var b = PushMessageParser.Parse(template.Replace("MSG", "222", StringComparison.Ordinal));
        Assert.NotEqual(a.DedupeKey, b.DedupeKey);
        Assert.Equal(a.DedupeKey, PushMessageParser.Parse(template.Replace("MSG", "111", StringComparison.Ordinal)).DedupeKey);
    }

    [Theory]
    [InlineData("not a body")]
    [InlineData("""{"ToUserName":"gh_1"}""")]
    [InlineData("<xml><ToUserName>gh</ToUserName></xml>")]
    public void Bodies_without_a_message_are_refused(string body) =>
        Assert.Throws<FormatException>(() => PushMessageParser.Parse(body));

    [Fact]
    public void Xml_with_a_doctype_is_refused()
    {
        const string xxe = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><MsgType>text</MsgType><Content>&x;</Content></xml>""";
        Assert.Throws<FormatException>(() => PushMessageParser.Parse(xxe));
    }
}
