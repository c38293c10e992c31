using Dapper;
using Npgsql;
using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Data.Products;

/// <summary>
/// Copies the catalog file into the products table at start-up, so orders can reference products
/// and keep the price they were sold at. Products dropped from the file stay (old orders point at
/// them) but are marked inactive.
/// </summary>
public sealed class ProductSync(NpgsqlDataSource db, ProductCatalog catalog)
{
    public async Task SyncAsync(CancellationToken ct)
    {
        const string upsert = """
            INSERT INTO products (id, name, document_type, region, spec_id, receipt_style, validity_days, price_fen, catalog_version, active, updated_at)
            VALUES (@Id, @Name, @DocumentType, @Region, @SpecId, @ReceiptStyle, @ValidityDays, @PriceFen, @version, true, now())
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, document_type = EXCLUDED.document_type, region = EXCLUDED.region,
                spec_id = EXCLUDED.spec_id, receipt_style = EXCLUDED.receipt_style,
                validity_days = EXCLUDED.validity_days, price_fen = EXCLUDED.price_fen,
                catalog_version = EXCLUDED.catalog_version, active = true, updated_at = now()
            WHERE products.catalog_version IS DISTINCT FROM EXCLUDED.catalog_version OR NOT products.active
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var p in catalog.Products)
            await conn.ExecuteAsync(new CommandDefinition(upsert, new
            {
                p.Id, p.Name, p.DocumentType, p.Region, p.SpecId, p.ReceiptStyle, p.ValidityDays, p.PriceFen, version = catalog.Version,
            }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE products SET active = false, updated_at = now() WHERE active AND NOT (id = ANY(@ids))",
            new { ids = catalog.Products.Select(p => p.Id).ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
