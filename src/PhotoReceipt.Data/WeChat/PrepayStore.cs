using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

/// <summary>The prepay_id WeChat gave for each out_trade_no, so a retried payment never places the order twice.</summary>
public sealed class PrepayStore(NpgsqlDataSource db)
{
    /// <summary>
    /// The prepay_id for this order when it was created for the same amount and payer after
    /// <paramref name="notBefore"/> (prepay ids expire after 2 hours at WeChat).
    /// </summary>
    public async Task<string?> FindAsync(string outTradeNo, int amountFen, string payerOpenId, DateTimeOffset notBefore, CancellationToken ct)
    {
        const string sql = """
            SELECT prepay_id FROM wechat_prepay_ids
             WHERE out_trade_no = @outTradeNo AND amount_fen = @amountFen AND payer_open_id = @payerOpenId
               AND created_at > @notBefore
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(sql, new { outTradeNo, amountFen, payerOpenId, notBefore }, cancellationToken: ct));
    }

    public async Task SaveAsync(string outTradeNo, string prepayId, int amountFen, string payerOpenId, DateTimeOffset createdAt, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_prepay_ids (out_trade_no, prepay_id, amount_fen, payer_open_id, created_at)
            VALUES (@outTradeNo, @prepayId, @amountFen, @payerOpenId, @createdAt)
            ON CONFLICT (out_trade_no) DO UPDATE
               SET prepay_id = excluded.prepay_id, amount_fen = excluded.amount_fen,
                   payer_open_id = excluded.payer_open_id, created_at = excluded.created_at
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { outTradeNo, prepayId, amountFen, payerOpenId, createdAt }, cancellationToken: ct));
    }
}
