using System.Text;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.WeChat.Tests.Api;

public sealed class WeChatJsonTests
{
    [Fact]
    public void Missing_errcode_is_success()
    {
        var reply = WeChatHttp.Parse(Encoding.UTF8.GetBytes("""{"openid":"o1","session_key":"k"}"""), "application/json");
        Assert.Equal(0, reply.ErrCode);
        Assert.False(reply.IsError);
    }

    [Fact]
    public void Errcode_as_a_string_and_the_rid_are_read()
    {
        var reply = WeChatHttp.Parse(Encoding.UTF8.GetBytes("""{"errcode":"45009","errmsg":"reach max api daily quota limit rid: 6543abcd-1234ef56-7890aaaa"}"""),
            "text/plain");
        Assert.Equal(45009, reply.ErrCode);
        Assert.Equal("6543abcd-1234ef56-7890aaaa", reply.Rid);
    }

    [Fact]
    public void Image_bytes_are_kept_and_json_errors_win_over_a_missing_content_type()
    {
        var image = WeChatHttp.Parse([0xFF, 0xD8, 0xFF, 0xD9], "image/jpeg");
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], image.Binary);
        var error = WeChatHttp.Parse(Encoding.UTF8.GetBytes("""{"errcode":41030,"errmsg":"invalid page rid: 1"}"""), null);
        Assert.Equal(41030, error.ErrCode);
        Assert.Null(error.Binary);
    }
}
