using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

public sealed record ConversationEntry(long Id, string OpenId, string Direction, string MsgType, string? Content, DateTime CreatedAt);

/// <summary>The customer-service conversation (both directions) that support staff read in the console.</summary>
public sealed class ConversationLog(NpgsqlDataSource db)
{
    public const string Inbound = "in";
    public const string Outbound = "out";

    public async Task AppendAsync(string openId, string direction, string msgType, string? content, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_cs_messages (open_id, direction, msg_type, content)
            VALUES (@openId, @direction, @msgType, @content)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { openId, direction, msgType, content }, cancellationToken: ct));
    }

    /// <summary>The latest entries with one user, newest first.</summary>
    public async Task<IReadOnlyList<ConversationEntry>> ListAsync(string openId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id, open_id, direction, msg_type, content, created_at
              FROM wechat_cs_messages
             WHERE open_id = @openId
             ORDER BY created_at DESC, id DESC
             LIMIT @limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long, string, string, string, string?, DateTime)>(
            new CommandDefinition(sql, new { openId, limit }, cancellationToken: ct));
        return rows.Select(r => new ConversationEntry(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5, r.Item6)).ToList();
    }
}
