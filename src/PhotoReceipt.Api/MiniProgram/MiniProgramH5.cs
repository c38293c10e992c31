using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using PhotoReceipt.WeChat;

namespace PhotoReceipt.Api.MiniProgram;

public sealed class MiniProgramOptions
{
    public const string Section = "MiniProgram";

    /// <summary>The Taro h5 build (index.html and its assets); found beside the sources when not set.</summary>
    public string? H5Root { get; set; }
}

/// <summary>
/// The mini-program's h5 build at /app, same origin as the API (no CORS), so a browser shows the
/// whole product. Only in Development or WeChat sandbox mode: in production the mini-program runs
/// inside WeChat, and the API serves no pages to the public.
/// </summary>
public static class MiniProgramH5
{
    public const string PathBase = "/app";

    public static WebApplication UseMiniProgramH5(this WebApplication app)
    {
        var sandbox = app.Services.GetRequiredService<IOptions<WeChatOptions>>().Value.IsSandbox;
        if (!app.Environment.IsDevelopment() && !sandbox) return app;
        var configured = app.Configuration[$"{MiniProgramOptions.Section}:H5Root"];
        var root = string.IsNullOrWhiteSpace(configured) ? FindBuild(AppContext.BaseDirectory) : Path.GetFullPath(configured);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MiniProgramH5));
        if (root is null || !File.Exists(Path.Combine(root, "index.html")))
        {
            logger.LogInformation("No mini-program h5 build found; /app answers 404 (./build.sh run builds it)");
            app.Map(PathBase, branch => branch.Run(async http =>
            {
                http.Response.StatusCode = 404;
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("小程序 H5 版本尚未构建：运行 ./build.sh run，或在 src/PhotoReceipt.MiniProgram 中执行 npm run build:h5");
            }));
            return app;
        }

        logger.LogInformation("Serving the mini-program h5 build from {Root} at {Path}", root, PathBase);
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = PathBase, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = PathBase,
            FileProvider = files,
            // Assets carry a content hash in their names; index.html must be asked for again each time.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
                ctx.File.Name.EndsWith(".html", StringComparison.Ordinal) ? "no-cache" : "public, max-age=31536000, immutable",
        });
        return app;
    }

    /// <summary>src/PhotoReceipt.MiniProgram/dist/h5 in the repository the app runs from (bin/… or tests' bin/…).</summary>
    private static string? FindBuild(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "PhotoReceipt.MiniProgram", "dist", "h5");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
