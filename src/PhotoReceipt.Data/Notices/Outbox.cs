using System.Text.Json;
using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Notices;

/// <summary>
/// The outbox: a notice is written in the transaction of what it tells about (a decision, a resend), so
/// the user is told exactly when, and only when, that committed. The dispatcher turns rows into sends.
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="kind">One of <see cref="Core.Notices.NoticeKinds"/>.</param>
    public static Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string kind, Guid orderId, object payload, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outbox (kind, order_id, payload) VALUES (@kind, @orderId, @payloadJson::jsonb)",
            new { kind, orderId, payloadJson = JsonSerializer.Serialize(payload, Json) }, tx, cancellationToken: ct));
}
