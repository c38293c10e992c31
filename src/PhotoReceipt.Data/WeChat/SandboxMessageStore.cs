using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

public sealed record SandboxMessage(long Id, string Kind, string ToOpenId, string? TemplateId, string? MsgType, string Payload, DateTime CreatedAt);

/// <summary>What sandbox mode would have sent, kept so the staff console can show it.</summary>
public sealed class SandboxMessageStore(NpgsqlDataSource db)
{
    public const string Subscribe = "subscribe";
    public const string CustomerService = "customer_service";

    /// <param name="payloadJson">The message as it would go on the wire (the caller serializes it WeChat's way).</param>
    public async Task RecordAsync(string kind, string toOpenId, string? templateId, string? msgType, string payloadJson, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_sandbox_messages (kind, to_open_id, template_id, msg_type, payload)
            VALUES (@kind, @toOpenId, @templateId, @msgType, @payload::jsonb)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { kind, toOpenId, templateId, msgType, payload = payloadJson }, cancellationToken: ct));
    }

    /// <summary>Newest first; all users when <paramref name="toOpenId"/> is null.</summary>
    public async Task<IReadOnlyList<SandboxMessage>> ListAsync(string? toOpenId, int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT id, kind, to_open_id, template_id, msg_type, payload::text, created_at
              FROM wechat_sandbox_messages
             WHERE @toOpenId::text IS NULL OR to_open_id = @toOpenId
             ORDER BY id DESC
             LIMIT @limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long, string, string, string?, string?, string, DateTime)>(
            new CommandDefinition(sql, new { toOpenId, limit }, cancellationToken: ct));
        return rows.Select(r => new SandboxMessage(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5, r.Item6, r.Item7)).ToList();
    }
}
