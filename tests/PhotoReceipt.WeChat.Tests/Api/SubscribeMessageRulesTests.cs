using PhotoReceipt.WeChat.Api;

namespace PhotoReceipt.WeChat.Tests.Api;

public sealed class SubscribeMessageRulesTests
{
    [Theory]
    [InlineData("thing2", "thing")]
    [InlineData("character_string12", "character_string")]
    [InlineData("phone_number3", "phone_number")]
    [InlineData("time", "time")]
    public void Keyword_type_is_the_key_without_its_index(string key, string type) =>
        Assert.Equal(type, SubscribeMessageRules.KeywordType(key));

    [Fact]
    public void Thing_is_cut_to_20_characters_ending_in_an_ellipsis()
    {
        var (value, problem) = SubscribeMessageRules.Normalize("thing", "您的深圳居住证回执已经出具完成请尽快下载保存到相册谢谢");
        Assert.Null(problem);
        Assert.Equal("您的深圳居住证回执已经出具完成请尽快下…", value);
        Assert.Equal(20, value!.Length);
    }

    [Fact]
    public void Truncation_never_splits_an_emoji()
    {
        var (value, _) = SubscribeMessageRules.Normalize("thing", new string('a', 18) + "😀😀😀");
        // 18 letters + one whole emoji + the ellipsis: 20 text elements, no lone surrogate.
        Assert.Equal(new string('a', 18) + "😀…", value);
        // A lone surrogate would not survive a UTF-8 round trip.
        Assert.Equal(value, System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(value!)));
    }

    [Fact]
    public void Line_breaks_collapse_to_spaces()
    {
        Assert.Equal("第一行 第二行", SubscribeMessageRules.Normalize("thing", "第一行\r\n第二行").Value);
    }

    [Theory]
    [InlineData("character_string", "ORD-20261121-0001", "ORD-20261121-0001")]
    [InlineData("character_string", "A123456789012345678901234567890123456", "A1234567890123456789012345678901")]
    [InlineData("phrase", "已完成", "已完成")]
    [InlineData("phrase", "审核未通过请重拍", "审核未通过")]
    [InlineData("amount", "¥25.00", "¥25.00")]
    [InlineData("amount", "25元", "25元")]
    [InlineData("time", "2026年11月21日 15:01", "2026年11月21日 15:01")]
    [InlineData("date", "2026-11-21 ~ 2026-12-21", "2026-11-21 ~ 2026-12-21")]
    [InlineData("number", "3.14", "3.14")]
    [InlineData("phone_number", "+86 138-0000-0000", "+86 138-0000-0000")]
    [InlineData("name", "张三李四王五赵六钱七孙八", "张三李四王五赵六钱七")]
    [InlineData("enum", "任意值", "任意值")]
    public void Valid_values_pass_and_long_ones_are_cut(string type, string raw, string expected)
    {
        var (value, problem) = SubscribeMessageRules.Normalize(type, raw);
        Assert.Null(problem);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("character_string", "订单123")]
    [InlineData("phrase", "done")]
    [InlineData("amount", "二十五元")]
    [InlineData("amount", "¥12345678901")]
    [InlineData("number", "12a")]
    [InlineData("time", "明天下午")]
    [InlineData("phone_number", "138000000001380000000")]
    [InlineData("car_number", "粤B123456789")]
    [InlineData("letter", "abc1")]
    [InlineData("symbol", "a!")]
    [InlineData("thing", "   ")]
    public void Values_a_cut_cannot_fix_are_refused(string type, string raw)
    {
        var (value, problem) = SubscribeMessageRules.Normalize(type, raw);
        Assert.Null(value);
        Assert.NotNull(problem);
    }

    [Fact]
    public void The_whole_message_reports_the_first_bad_keyword_in_wechat_wording()
    {
        var ok = SubscribeMessageRules.TryNormalize(new Dictionary<string, string> { ["thing1"] = "ok", ["phrase4"] = "finished" },
            out _, out var error);
        Assert.False(ok);
        Assert.Equal("data.phrase4.value must be at most 5 Chinese characters", error);
    }
}
