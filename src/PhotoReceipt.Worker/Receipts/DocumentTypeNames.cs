using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Worker.Receipts;

/// <summary>The document type as printed on a receipt (证件类型), from the product.</summary>
public static class DocumentTypeNames
{
    public static string For(Product product, PhotoSpec spec) => product.DocumentType switch
    {
        "residence-permit" => "居住证",
        "id-card" => "居民身份证",
        "exit-entry" => "出入境证件",
        "social-security" => "社会保障卡",
        "driver-license" => "机动车驾驶证",
        // Photo-only products and any type added to the catalog later: the spec's own name.
        _ => spec.Name,
    };
}
