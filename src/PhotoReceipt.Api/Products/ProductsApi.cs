using PhotoReceipt.Api.Platform;
using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Api.Products;

public sealed record SpecSummary(string Id, string Name, int WidthPx, int HeightPx, double PrintWidthMm, double PrintHeightMm, int Dpi, int? MinKb, int? MaxKb);

public sealed record ProductDto(string Id, string Name, string DocumentType, string? Region, string SpecId, int PriceFen,
    int ValidityDays, string? ReceiptStyle, IReadOnlyList<string> Backgrounds, IReadOnlyList<string> Tips, SpecSummary Spec)
{
    public static ProductDto From(Product p, ProductCatalog catalog)
    {
        var s = catalog.SpecOf(p);
        return new(p.Id, p.Name, p.DocumentType, p.Region, p.SpecId, p.PriceFen, p.ValidityDays, p.ReceiptStyle, p.Backgrounds, p.Tips,
            new SpecSummary(s.Id, s.Name, s.WidthPx, s.HeightPx, s.PrintWidthMm, s.PrintHeightMm, s.Dpi, s.MinKb, s.MaxKb));
    }
}

public sealed record ProductList(string CatalogVersion, IReadOnlyList<ProductDto> Items);

public static class ProductsApi
{
    public static RouteGroupBuilder MapProducts(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/products").WithTags("Products").AllowAnonymous();
        group.MapGet("/", List).WithName("ListProducts").WithSummary("Every receipt and photo product with its spec and price");
        group.MapGet("/{id}", Get).WithName("GetProduct").WithSummary("One product");
        return api;
    }

    internal static Ok<ProductList> List(ProductCatalog catalog) =>
        TypedResults.Ok(new ProductList(catalog.Version, catalog.Products.Select(p => ProductDto.From(p, catalog)).ToList()));

    internal static Results<Ok<ProductDto>, NotFoundProblem> Get(string id, ProductCatalog catalog) =>
        catalog.FindProduct(id) is { } p
            ? TypedResults.Ok(ProductDto.From(p, catalog))
            : new NotFoundProblem("找不到", "没有这种证件类型");
}
