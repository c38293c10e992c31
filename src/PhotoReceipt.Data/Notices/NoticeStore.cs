using Dapper;
using Npgsql;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Data.Notices;

public static class NoticeStates
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string NoGrant = "no_grant";
    public const string Failed = "failed";
    public const string Uncertain = "uncertain";
}

/// <summary>A notice with what sending it needs: the outbox payload and the user's openid.</summary>
public sealed record NoticeRow(long OutboxId, string Kind, Guid? OrderId, Guid? UserId, string? OpenId, string TemplateId, string State,
    bool GrantTaken, int Attempts, string Payload);

/// <summary>A notice as support sees it.</summary>
public sealed record NoticeListRow(long OutboxId, string Kind, Guid? OrderId, string? OrderNo, string Payload, DateTime CreatedAt,
    string? State, string? TemplateId, int? Errcode, string? Errmsg, string? Data, DateTime? SentAt);

public enum SendStart
{
    /// <summary>Marked 'sending' with a grant taken: call WeChat now.</summary>
    Send,
    /// <summary>The user holds no grant for the template: recorded as no_grant, WeChat is not called.</summary>
    NoGrant,
    /// <summary>A previous run stopped between the send and the mark: now 'uncertain', not sent again.</summary>
    Uncertain,
    /// <summary>Already sent, refused or given up: nothing to do.</summary>
    Finished,
}

/// <summary>
/// Notices from the outbox to WeChat. Every state change is a compare-and-set on the notice row; the
/// grant is consumed by a compare-and-set on subscription_grants in the same transaction that marks
/// the notice 'sending', so a grant is never spent twice and never spent for a message not attempted.
/// </summary>
public sealed class NoticeStore(NpgsqlDataSource db, JobQueue jobs)
{
    /// <summary>
    /// Claims undispatched outbox rows of <paramref name="templateByKind"/>'s kinds (SKIP LOCKED: replicas
    /// dispatching at once take different rows), records a pending notice and enqueues its send job for each,
    /// and marks them dispatched, in one transaction. Returns how many were dispatched.
    /// </summary>
    public async Task<int> DispatchAsync(IReadOnlyDictionary<string, string> templateByKind, int batch, CancellationToken ct)
    {
        const string claim = """
            SELECT x.id, x.kind, x.order_id, o.user_id
            FROM outbox x LEFT JOIN orders o ON o.id = x.order_id
            WHERE x.dispatched_at IS NULL AND x.kind = ANY(@kinds)
            ORDER BY x.id
            LIMIT @batch
            FOR UPDATE OF x SKIP LOCKED
            """;
        const string insert = """
            INSERT INTO notices (outbox_id, kind, order_id, user_id, template_id)
            VALUES (@id, @kind, @orderId, @userId, @templateId)
            ON CONFLICT (outbox_id) DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = (await conn.QueryAsync<(long Id, string Kind, Guid? OrderId, Guid? UserId)>(new CommandDefinition(claim,
            new { kinds = templateByKind.Keys.ToArray(), batch }, tx, cancellationToken: ct))).AsList();
        foreach (var r in rows)
        {
            await conn.ExecuteAsync(new CommandDefinition(insert,
                new { r.Id, r.Kind, r.OrderId, r.UserId, templateId = templateByKind[r.Kind] }, tx, cancellationToken: ct));
            await jobs.EnqueueAsync(conn, tx, JobKinds.SendNotice, new NoticePayload(r.Id), JobKinds.SendNotice.Key(r.Id), ct: ct);
        }
        if (rows.Count > 0)
            await conn.ExecuteAsync(new CommandDefinition("UPDATE outbox SET dispatched_at = now() WHERE id = ANY(@ids)",
                new { ids = rows.Select(r => r.Id).ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    public async Task<NoticeRow?> FindAsync(long outboxId, CancellationToken ct)
    {
        const string sql = """
            SELECT n.outbox_id, n.kind, n.order_id, n.user_id, u.openid AS open_id, n.template_id, n.state, n.grant_taken, n.attempts,
                   x.payload::text AS payload
            FROM notices n JOIN outbox x ON x.id = n.outbox_id LEFT JOIN users u ON u.id = n.user_id
            WHERE n.outbox_id = @outboxId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<NoticeRow>(new CommandDefinition(sql, new { outboxId }, cancellationToken: ct));
    }

    /// <summary>
    /// pending → sending, taking one of the user's grants for the template unless an earlier attempt of
    /// this notice already took it. Commits before the caller talks to WeChat: that is what lets a later
    /// run see that a send may have happened.
    /// </summary>
    public async Task<SendStart> BeginSendAsync(long outboxId, string dataJson, CancellationToken ct)
    {
        const string takeGrant = """
            UPDATE subscription_grants SET remaining = remaining - 1, updated_at = now()
            WHERE user_id = @UserId AND template_id = @TemplateId AND remaining > 0
            """;
        const string sending = """
            UPDATE notices SET state = 'sending', grant_taken = true, attempts = attempts + 1, sending_since = now(),
                   data = @dataJson::jsonb, errcode = NULL, errmsg = NULL, updated_at = now()
            WHERE outbox_id = @outboxId AND state = 'pending'
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string State, bool GrantTaken, Guid? UserId, string TemplateId)>(new CommandDefinition(
            "SELECT state, grant_taken, user_id, template_id FROM notices WHERE outbox_id = @outboxId FOR UPDATE",
            new { outboxId }, tx, cancellationToken: ct));
        switch (row.State)
        {
            case null:
                throw new InvalidOperationException($"Notice {outboxId} does not exist.");
            case NoticeStates.Sending:
                // The run that set 'sending' is over (its job lease ran out, or it failed after the call) and
                // never recorded the answer. WeChat may have delivered the message; a second copy would spend
                // another of the user's grants and repeat the notice, so it is parked for support instead.
                await SetAsync(conn, tx, outboxId, NoticeStates.Uncertain, null,
                    "发送中断：可能已送达，未自动重发（请核实后决定是否重发）", ct);
                await tx.CommitAsync(ct);
                return SendStart.Uncertain;
            case not NoticeStates.Pending:
                return SendStart.Finished;
        }
        if (!row.GrantTaken && await conn.ExecuteAsync(new CommandDefinition(takeGrant, new { row.UserId, row.TemplateId }, tx, cancellationToken: ct)) == 0)
        {
            await SetAsync(conn, tx, outboxId, NoticeStates.NoGrant, null, "用户没有可用的订阅授权", ct);
            await tx.CommitAsync(ct);
            return SendStart.NoGrant;
        }
        await conn.ExecuteAsync(new CommandDefinition(sending, new { outboxId, dataJson }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return SendStart.Send;
    }

    /// <summary>sending → sent.</summary>
    public Task<bool> MarkSentAsync(long outboxId, CancellationToken ct) =>
        FinishAsync(outboxId, NoticeStates.Sending, NoticeStates.Sent, 0, null, ct);

    /// <summary>
    /// sending → pending after an answer that says WeChat did not send (busy, rate limit, unreachable): the
    /// grant stays taken for the retry, which the job queue schedules with backoff.
    /// </summary>
    public Task<bool> ReleaseForRetryAsync(long outboxId, int errcode, string? errmsg, CancellationToken ct) =>
        FinishAsync(outboxId, NoticeStates.Sending, NoticeStates.Pending, errcode, errmsg, ct);

    /// <summary>sending → uncertain: the request left and no answer came back, so WeChat may have delivered it.</summary>
    public Task<bool> MarkUncertainAsync(long outboxId, string errmsg, CancellationToken ct) =>
        FinishAsync(outboxId, NoticeStates.Sending, NoticeStates.Uncertain, null, errmsg, ct);

    /// <summary>
    /// sending → no_grant after WeChat's 43101. Our counter was wrong (the user unsubscribed, or used the
    /// grant elsewhere), so it is set to zero: WeChat is the authority on one-time grants.
    /// </summary>
    public async Task<bool> MarkRefusedGrantAsync(long outboxId, int errcode, string? errmsg, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await MoveAsync(conn, tx, outboxId, NoticeStates.Sending, NoticeStates.NoGrant, errcode, errmsg, ct)) return false;
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE subscription_grants g SET remaining = 0, updated_at = now()
            FROM notices n WHERE n.outbox_id = @outboxId AND g.user_id = n.user_id AND g.template_id = n.template_id
            """, new { outboxId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// <paramref name="from"/> → failed: WeChat refused the message (or it could not be composed). A refused
    /// message does not use the user's one-time grant, so a grant taken for it is given back.
    /// </summary>
    public async Task<bool> MarkFailedAsync(long outboxId, string from, int? errcode, string? errmsg, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var grantTaken = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT grant_taken FROM notices WHERE outbox_id = @outboxId FOR UPDATE", new { outboxId }, tx, cancellationToken: ct));
        if (!await MoveAsync(conn, tx, outboxId, from, NoticeStates.Failed, errcode, errmsg, ct)) return false;
        if (grantTaken)
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE subscription_grants g SET remaining = g.remaining + 1, updated_at = now()
                FROM notices n WHERE n.outbox_id = @outboxId AND g.user_id = n.user_id AND g.template_id = n.template_id
                """, new { outboxId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("UPDATE notices SET grant_taken = false WHERE outbox_id = @outboxId",
            new { outboxId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The order's notices with their outcome, oldest first.</summary>
    public async Task<IReadOnlyList<NoticeListRow>> ForOrderAsync(Guid orderId, CancellationToken ct) =>
        await ListAsync("WHERE x.order_id = @orderId ORDER BY x.id", new { orderId }, ct);

    /// <summary>The newest outbox notices with their outcome (state null: not dispatched yet).</summary>
    public async Task<IReadOnlyList<NoticeListRow>> RecentAsync(int limit, CancellationToken ct) =>
        await ListAsync("ORDER BY x.id DESC LIMIT @limit", new { limit }, ct);

    private async Task<IReadOnlyList<NoticeListRow>> ListAsync(string tail, object args, CancellationToken ct)
    {
        var sql = $"""
            SELECT x.id AS outbox_id, x.kind, x.order_id, o.order_no, x.payload::text AS payload, x.created_at,
                   n.state, n.template_id, n.errcode, n.errmsg, n.data::text AS data, n.sent_at
            FROM outbox x LEFT JOIN notices n ON n.outbox_id = x.id LEFT JOIN orders o ON o.id = x.order_id
            {tail}
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<NoticeListRow>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
    }

    private async Task<bool> FinishAsync(long outboxId, string from, string to, int? errcode, string? errmsg, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await MoveAsync(conn, tx, outboxId, from, to, errcode, errmsg, ct);
        await tx.CommitAsync(ct);
        return moved;
    }

    private static async Task<bool> MoveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long outboxId, string from, string to, int? errcode,
        string? errmsg, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE notices SET state = @to, errcode = @errcode, errmsg = @errmsg, updated_at = now(),
                   sent_at = CASE WHEN @to = 'sent' THEN now() END
            WHERE outbox_id = @outboxId AND state = @from
            """, new { outboxId, from, to, errcode, errmsg = Cut(errmsg) }, tx, cancellationToken: ct)) == 1;

    private static Task SetAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long outboxId, string to, int? errcode, string errmsg,
        CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "UPDATE notices SET state = @to, errcode = @errcode, errmsg = @errmsg, updated_at = now() WHERE outbox_id = @outboxId",
            new { outboxId, to, errcode, errmsg }, tx, cancellationToken: ct));

    private static string? Cut(string? s) => s is { Length: > 500 } ? s[..500] : s;
}
