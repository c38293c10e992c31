using Dapper;
using Npgsql;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Data.Photos;

/// <summary>
/// One upload, more documents: a new photo standardized from an earlier photo's upload for another
/// product (or another background), with its own report, without the user uploading again.
/// </summary>
public sealed class PhotoDerivations(NpgsqlDataSource db, IBlobStore blobs, JobQueue jobs)
{
    /// <summary>
    /// Copies the source upload under the new photo's own key (so deleting either photo never takes
    /// the other's file), then records the photo and enqueues its processing in one transaction.
    /// False when the source file is gone (deleted at the end of retention or on withdrawal).
    /// </summary>
    public async Task<bool> DeriveAsync(PhotoRow from, NewPhoto photo, CancellationToken ct)
    {
        await using (var source = from.SourceKey is null ? null : await blobs.OpenReadAsync(from.SourceKey, ct))
        {
            if (source is null) return false;
            await blobs.PutAsync(photo.SourceKey, source, ct);
        }
        const string sql = """
            INSERT INTO photos (id, user_id, product_id, spec_id, background, status, source_key, source_format, source_bytes, derived_from)
            SELECT @Id, @UserId, @ProductId, @SpecId, @Background, 'processing', @SourceKey, @SourceFormat, @SourceBytes, @DerivedFrom
            WHERE EXISTS (SELECT 1 FROM photos WHERE id = @DerivedFrom AND purged_at IS NULL)
            """;
        try
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var inserted = await conn.ExecuteAsync(new CommandDefinition(sql, new
            {
                photo.Id, photo.UserId, photo.ProductId, photo.SpecId, photo.Background, photo.SourceKey, photo.SourceFormat, photo.SourceBytes,
                DerivedFrom = from.Id,
            }, tx, cancellationToken: ct));
            if (inserted == 0)
            {
                // The original was deleted while its file was being copied.
                await blobs.DeleteAsync(photo.SourceKey, CancellationToken.None);
                return false;
            }
            await jobs.EnqueueAsync(conn, tx, JobKinds.ProcessPhoto, new PhotoPayload(photo.Id), JobKinds.ProcessPhoto.Key(photo.Id), ct: ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch
        {
            await blobs.DeleteAsync(photo.SourceKey, CancellationToken.None);
            throw;
        }
    }
}
