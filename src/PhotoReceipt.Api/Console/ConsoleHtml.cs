using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// The console's HTML: one layout, every interpolated value encoded. Chinese stays readable
/// (UnicodeRanges.All); markup characters are always encoded. Every form carries the antiforgery token.
/// </summary>
internal static class ConsoleHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Encodes text for an element body or a quoted attribute.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static string E(DateTime at) => E(Time(at));

    /// <summary>Beijing time, which is what staff and users read.</summary>
    public static string Time(DateTime at) =>
        DateTime.SpecifyKind(at, DateTimeKind.Utc).AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A POST form with the antiforgery token; <paramref name="inner"/> is already-encoded markup.</summary>
    public static string Form(HttpContext http, string action, string inner, string? cssClass = null)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"""<form method="post" action="{E(action)}"{(cssClass is null ? "" : $" class=\"{E(cssClass)}\"")}><input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">{inner}</form>""";
    }

    public static IResult Page(HttpContext http, string title, string body, int status = 200)
    {
        var user = http.User;
        var signedIn = user.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleAuth.Scheme };
        var nav = new StringBuilder();
        if (signedIn)
        {
            if (user.IsInRole("reviewer") || user.IsInRole("admin")) nav.Append("""<a href="/console/review">审核队列</a> """);
            if (user.IsInRole("support") || user.IsInRole("admin")) nav.Append("""<a href="/console/support">客服查询</a> <a href="/console/support/outbox">通知发件箱</a> """);
            nav.Append($"""<span class="who">{E(user.Identity!.Name)}（{E(RoleLabel(user.FindFirstValue(ClaimTypes.Role)))}）</span> """);
            nav.Append(Form(http, "/console/logout", """<button type="submit">退出</button>""", "inline"));
        }
        var html = $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · 照片回执管理台</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0; color: #222; }
            header { background: #1f4e79; color: #fff; padding: .6em 1em; display: flex; gap: 1em; align-items: center; }
            header a, header .who { color: #fff; } header h1 { font-size: 1.1em; margin: 0 1em 0 0; }
            main { padding: 1em; } table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
            .photos { display: flex; gap: 1em; flex-wrap: wrap; } .photos figure { margin: 0; } .photos img { max-height: 320px; border: 1px solid #999; } .photos img[alt^="审核预览"] { max-height: none; height: 441px; image-rendering: pixelated; }
            .pass { color: #1a7f37; } .warn { color: #9a6700; } .fail { color: #cf222e; font-weight: bold; }
            .notice { background: #fff8c5; padding: .6em; border: 1px solid #d4a72c; } form.inline { display: inline; }
            </style>
            </head>
            <body>
            <header><h1>照片回执管理台</h1>{{nav}}</header>
            <main>
            <h2>{{E(title)}}</h2>
            {{body}}
            </main>
            </body>
            </html>
            """;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Frame-Options"] = "DENY";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self' https: http:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A page that only says something (errors, conflicts), with a way back.</summary>
    public static IResult Message(HttpContext http, int status, string title, string message, string backHref, string backLabel) =>
        Page(http, title, $"""<p class="notice">{E(message)}</p><p><a href="{E(backHref)}">{E(backLabel)}</a></p>""", status);

    public static string RoleLabel(string? role) => role switch
    {
        "reviewer" => "审核员",
        "support" => "客服",
        "admin" => "管理员",
        _ => role ?? "",
    };
}

/// <summary>303 See Other: after a form POST the browser fetches the next page with GET (no resubmission on reload).</summary>
internal sealed class SeeOther(string location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
