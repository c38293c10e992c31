using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Users;

namespace PhotoReceipt.Api.Sessions;

public sealed record SessionRequest(string? Code);
public sealed record SessionResponse(string Token, DateTimeOffset ExpiresAt);

public sealed class SessionRequestValidator : AbstractValidator<SessionRequest>
{
    public SessionRequestValidator() =>
        RuleFor(x => x.Code).NotEmpty().WithMessage("缺少登录凭证 code，请重新进入小程序")
            .MaximumLength(128).WithMessage("登录凭证 code 格式不正确");
}

public sealed class LoginSessionOptions
{
    public const string Section = "Sessions";
    [Range(0.001, 365)]
    public double LifetimeDays { get; set; } = 7;

    /// <summary>How long a validated session is remembered in process (0 = ask the database on every call).</summary>
    [Range(0, 3600)]
    public double CacheSeconds { get; set; } = 30;
}

public static class SessionApi
{
    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder api)
    {
        api.MapPost("/session", CreateAsync).WithName("CreateSession").WithSummary("Log in with a wx.login code")
            .AllowAnonymous().RequireRateLimiting(RateLimits.Login).WithValidation<SessionRequest>();
        api.MapDelete("/session", EndAsync).WithName("EndSession").WithSummary("Log out: the bearer token stops working");
        return api;
    }

    /// <summary>What logging in uses, bound with [AsParameters].</summary>
    internal sealed record SessionServices(IWeChatApi WeChat, UserStore Users, PiiProtector Pii, IOptions<LoginSessionOptions> Options,
        TimeProvider Clock, ILogger<SessionRequest> Logger);

    internal static async Task<Results<Ok<SessionResponse>, BadRequestProblem, ForbiddenProblem, TooManyRequestsProblem, UnavailableProblem>> CreateAsync(
        SessionRequest request, [AsParameters] SessionServices s, CancellationToken ct)
    {
        var (wechat, users, pii, options, clock, logger) = (s.WeChat, s.Users, s.Pii, s.Options, s.Clock, s.Logger);
        var code = request.Code!.Trim();
        var codeHash = SHA256.HashData(Encoding.UTF8.GetBytes(code));
        // A code is single-use at WeChat; a retried request (proxy, flaky network) with the same code
        // must not turn into a 40029 for a user who just logged in.
        var userId = await users.FindRecentCodeUserAsync(codeHash, ct);
        if (userId is null)
        {
            var result = await wechat.Code2SessionAsync(code, ct);
            if (!result.Ok)
            {
                logger.LogWarning("jscode2session failed: errcode {ErrCode} rid {Rid}", result.ErrCode, result.Rid);
                return result.ErrCode switch
                {
                    40029 or 40163 => new BadRequestProblem("登录失败", "登录凭证无效或已使用，请重新进入小程序"),
                    45011 => new TooManyRequestsProblem("操作太频繁", "登录太频繁，请一分钟后再试"),
                    40226 => new ForbiddenProblem("登录被拦截", "微信判断该账号存在风险，登录被拦截"),
                    _ => new UnavailableProblem("服务繁忙", "微信登录服务繁忙，请稍后再试"),
                };
            }
            var session = result.Value!;
            userId = await users.UpsertAsync(session.OpenId, session.UnionId, pii.Encrypt(session.SessionKey), ct);
        }
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expiresAt = clock.GetUtcNow().AddDays(options.Value.LifetimeDays);
        await users.CreateSessionAsync(BearerSessionAuthentication.HashToken(token), userId.Value, codeHash, expiresAt, ct);
        return TypedResults.Ok(new SessionResponse(token, expiresAt));
    }

    /// <summary>
    /// Ends the caller's session. This replica forgets it at once; another replica's short session
    /// cache (Sessions:CacheSeconds) may accept the token for at most that long.
    /// </summary>
    internal static async Task<NoContent> EndAsync(HttpContext http, UserStore users, IMemoryCache cache, CancellationToken ct)
    {
        var hash = BearerSessionAuthentication.HashToken(BearerSessionAuthentication.TokenOf(http.Request)!);
        await users.DeleteSessionAsync(hash, ct);
        cache.Remove(BearerSessionAuthentication.CacheKey(hash));
        return TypedResults.NoContent();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
