using PhotoReceipt.Data.WeChat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.WeChat.Token;

/// <summary>
/// Access tokens from <c>/cgi-bin/stable_token</c> in normal mode, cached in PostgreSQL and in memory.
/// Rules from wechat.md §2 (the Senparc "token ping-pong" lessons): one shared cache, one single-flight lock
/// per appid in the database, refresh 5 minutes early, and never an automatic <c>force_refresh</c>.
/// In-process, concurrent callers share one pending refresh task instead of taking a lock around network I/O.
/// </summary>
internal sealed class AccessTokenProvider(
    AccessTokenStore store,
    IServiceProvider services,
    IOptionsMonitor<WeChatOptions> options,
    TimeProvider clock)
{
    private readonly Lock _gate = new();
    private StoredToken? _cached;
    private Task<WeChatResult<string>>? _pending;
    private string? _pendingRejects;

    /// <summary>
    /// A usable token. <paramref name="rejected"/> is a token WeChat just answered 40001/42001 for: it is not
    /// returned again unless the refresh (normal mode) hands back the very same token.
    /// </summary>
    public async Task<WeChatResult<string>> GetAsync(string? rejected, CancellationToken ct)
    {
        var cached = _cached;
        if (cached is not null && cached.AccessToken != rejected && IsFresh(cached))
            return WeChatResult<string>.Success(cached.AccessToken);

        Task<WeChatResult<string>> pending;
        lock (_gate)
        {
            // Join a refresh already under way unless it was started without knowing about this rejection.
            if (_pending is null || _pending.IsCompleted || (rejected is not null && _pendingRejects != rejected))
            {
                _pendingRejects = rejected;
                _pending = LoadAsync(rejected);
            }
            pending = _pending;
        }
        return await pending.WaitAsync(ct);
    }

    private bool IsFresh(StoredToken token) =>
        token.ExpiresAt - options.CurrentValue.TokenRefreshMargin > clock.GetUtcNow();

    private async Task<WeChatResult<string>> LoadAsync(string? rejected)
    {
        // Started inside lock(_gate): yield first so no I/O runs while the lock is held. It also runs detached
        // from any one caller's cancellation, because other callers may be waiting on the same task.
        await Task.Yield();
        var appId = options.CurrentValue.AppId!;
        var stored = await store.ReadAsync(appId, CancellationToken.None);
        if (stored is not null && stored.AccessToken != rejected && IsFresh(stored))
        {
            _cached = stored;
            return WeChatResult<string>.Success(stored.AccessToken);
        }

        var (token, failure) = await store.RefreshAsync<WeChatResult<string>>(
            appId,
            current => current is not null && current.AccessToken != rejected && IsFresh(current),
            FetchStableTokenAsync,
            CancellationToken.None);
        if (token is null) return failure!;
        _cached = token;
        return WeChatResult<string>.Success(token.AccessToken);
    }

    private async Task<(StoredToken?, WeChatResult<string>?)> FetchStableTokenAsync()
    {
        var o = options.CurrentValue;
        var body = new StableTokenRequest("client_credential", o.AppId!, o.AppSecret!, ForceRefresh: false);
        // A singleton must not hold a typed HttpClient (its handler would never rotate), so one is resolved per fetch.
        var http = services.GetRequiredService<WeChatHttp>();
        var reply = await http.PostJsonAsync("/cgi-bin/stable_token", [], body, CancellationToken.None);
        if (reply.IsError)
            return (null, WeChatResult<string>.Error(reply.ErrCode, reply.ErrMsg, reply.Rid));
        var token = reply.Json.TryGetProperty("access_token", out var t) ? t.GetString() : null;
        var expiresIn = reply.Json.TryGetProperty("expires_in", out var e) ? WeChatJson.ReadInt(e) : null;
        if (string.IsNullOrEmpty(token) || expiresIn is null)
            return (null, WeChatResult<string>.Error(-1, "stable_token answered without access_token/expires_in"));
        return (new StoredToken(token, clock.GetUtcNow().AddSeconds(expiresIn.Value)), null);
    }

    private sealed record StableTokenRequest(string GrantType, string Appid, string Secret, bool ForceRefresh);
}
