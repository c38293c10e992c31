using System.ComponentModel.DataAnnotations;

namespace PhotoReceipt.Worker.Receipts;

public sealed class ReceiptOptions
{
    public const string Section = "Receipts";

    /// <summary>Printed on every receipt as 采集点 (the collection point that took the photo).</summary>
    [Required, MaxLength(40)]
    public string CollectionPointName { get; set; } = "微信小程序线上采集点";

    [Required, MaxLength(20)]
    public string CollectionPointCode { get; set; } = "WX0000000001";

    /// <summary>Resolution of the phone image: 300 dpi keeps it sharp on a phone and true to size when printed.</summary>
    [Range(150, 600)]
    public int ImageDpi { get; set; } = 300;
}

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Days after a receipt's last valid day before its photos, receipt files and personal data are deleted.</summary>
    [Range(0, 3650)]
    public int DaysAfterExpiry { get; set; } = 30;
}
