using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Api.Photos;

/// <summary>The product (and background) a photo is to be standardized for, as an upload or a derive names them.</summary>
internal static class ProductChoice
{
    /// <summary>The product, or the 400 that tells the user what to choose instead.</summary>
    public static (Product? Product, ValidationProblem? Problem) Resolve(ProductCatalog catalog, string? productId, string? background)
    {
        var product = productId is null ? null : catalog.FindProduct(productId);
        if (product is null)
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["productId"] = ["请先选择证件类型"] },
                detail: "请先选择证件类型", title: "提交的信息有误"));
        if (background is not null && !product.Backgrounds.Contains(background)
            && !(product.DocumentType == "photo-only" && RgbColour.TryParse(background, out _)))
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["background"] = ["该证件不支持这种背景色"] },
                detail: "该证件不支持这种背景色", title: "提交的信息有误"));
        return (product, null);
    }
}
