using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Sessions;
using PhotoReceipt.Data.Users;

namespace PhotoReceipt.Api.Platform;

/// <summary>
/// "Authorization: Bearer &lt;token&gt;" where the token is our own opaque session token; the database
/// holds only its SHA-256, so a leaked table cannot be replayed.
/// </summary>
public sealed class BearerSessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    UserStore users, IProblemDetailsService problems, IMemoryCache cache, IOptions<LoginSessionOptions> sessionOptions, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";

    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string CacheKey(byte[] tokenHash) => "session:" + Convert.ToBase64String(tokenHash);

    /// <summary>The token of "Authorization: Bearer …", or null without one.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (token is null) return AuthenticateResult.NoResult();
        if (token.Length is 0 or > 128) return AuthenticateResult.Fail("malformed token");
        var user = await FindAsync(token);
        if (user is null) return AuthenticateResult.Fail("unknown or expired session");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.UserId.ToString()), new Claim("openid", user.OpenId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>
    /// Valid sessions are remembered for a few seconds (never past their expiry) so that a page of
    /// calls costs one session look-up, not one per call. Unknown tokens are never cached: a flood of
    /// made-up tokens cannot fill memory.
    /// </summary>
    private async Task<SessionUser?> FindAsync(string token)
    {
        var hash = HashToken(token);
        var key = CacheKey(hash);
        if (cache.TryGetValue(key, out SessionUser? cached) && cached!.ExpiresAt > clock.GetUtcNow().UtcDateTime) return cached;
        var user = await users.FindSessionAsync(hash, Context.RequestAborted);
        var ttl = TimeSpan.FromSeconds(sessionOptions.Value.CacheSeconds);
        if (user is not null && ttl > TimeSpan.Zero)
        {
            var until = new DateTimeOffset(DateTime.SpecifyKind(user.ExpiresAt, DateTimeKind.Utc));
            var now = clock.GetUtcNow();
            cache.Set(key, user, new MemoryCacheEntryOptions { AbsoluteExpiration = until < now + ttl ? until : now + ttl, Size = 1 });
        }
        return user;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = 401, Title = "未登录", Detail = "登录已过期，请重新进入小程序" },
        });
    }
}

/// <summary>
/// The signed-in mini-program user, as a handler parameter: bound from the bearer session's claims
/// (every route that takes it sits behind RequireAuthorization), never read from claims in a handler.
/// </summary>
public sealed record CurrentUser(Guid Id, string OpenId)
{
    public static ValueTask<CurrentUser?> BindAsync(HttpContext http) =>
        ValueTask.FromResult(http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? new CurrentUser(Guid.Parse(id), http.User.FindFirstValue("openid")!)
            : null);
}
