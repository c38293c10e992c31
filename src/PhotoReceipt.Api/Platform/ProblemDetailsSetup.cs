using System.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace PhotoReceipt.Api.Platform;

/// <summary>
/// Every error is RFC 9457 problem+json with a trace id and a Chinese message a mini-program user
/// understands; nothing unexpected leaks a stack trace.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddChineseProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
            var (title, detail) = DefaultText(status);
            if (status == 415) detail = UnsupportedMediaTypeText(ctx.HttpContext.Request);
            if (status == 413 && BodyLimits.LimitOf(ctx.HttpContext) is { } limit) detail = $"提交的内容太大（不能超过 {BodyLimits.Size(limit)}）";
            // Framework-made problems carry English titles; ours always set a Chinese detail.
            if (ctx.ProblemDetails.Detail is null || ctx.Exception is not null) ctx.ProblemDetails.Detail = detail;
            if (ctx.ProblemDetails.Title is null || IsFrameworkTitle(ctx.ProblemDetails.Title)) ctx.ProblemDetails.Title = title;
        });
        // Bad JSON, a missing body or an unparsable route value are the client's fault: a 400, not an
        // exception (the default in Development would be to throw and answer 500).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            // {"name":"张三","name":"李四"} is ambiguous (which one did the user see?): refuse it rather than let the last win.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        return services;
    }

    public static (string Title, string Detail) DefaultText(int status) => status switch
    {
        400 => ("请求有误", "请求格式不正确，请检查后重试"),
        401 => ("未登录", "登录已过期，请重新进入小程序"),
        403 => ("无权访问", "你没有权限进行此操作"),
        404 => ("找不到", "找不到你要的内容，可能已被删除"),
        405 => ("不支持的操作", "不支持该请求方式"),
        409 => ("状态冲突", "当前状态不允许此操作，请刷新后再试"),
        413 => ("请求太大", "提交的内容太大"),
        415 => ("格式不支持", "不支持这种提交格式"),
        422 => ("无法处理", "提交的内容无法处理，请检查后重试"),
        429 => ("操作太频繁", "操作太频繁，请稍后再试"),
        503 => ("服务繁忙", "服务繁忙，请稍后再试"),
        >= 500 => ("服务器错误", "服务器开小差了，请稍后再试"),
        _ => ("请求失败", "请求失败，请稍后再试"),
    };

    /// <summary>
    /// Routing answers 415 itself (its own endpoint, so the intended one's metadata is gone): every
    /// body on the mini-program API is JSON except the photo upload, and the console posts forms.
    /// </summary>
    private static string UnsupportedMediaTypeText(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1/photos") ? "请用 wx.uploadFile 以 multipart/form-data 上传照片（字段名 file）"
        : request.Path.StartsWithSegments("/console") ? "请通过控制台页面的表单提交"
        : "请以 JSON 格式提交（Content-Type: application/json）";

    private static bool IsFrameworkTitle(string title) => title.Length > 0 && title[0] < 0x80;
}
