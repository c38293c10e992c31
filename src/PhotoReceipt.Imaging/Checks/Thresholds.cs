namespace PhotoReceipt.Imaging.Checks;

/// <summary>
/// Limits of the image-quality checks. Set from the five fixture portraits and their degraded
/// variants (blur σ≈3, brightness ×0.35, one-sided light): the sharp, well-lit originals pass with
/// margin and each degraded variant fails.
/// </summary>
internal static class Thresholds
{
    public const double YawPassDeg = 12, YawWarnDeg = 20;
    public const double EyesOpenPass = 0.18, EyesOpenWarn = 0.13;
    public const double MouthPass = 0.15, MouthWarn = 0.3;
    public const double SharpnessPass = 40, SharpnessWarn = 20;
    public const double ExposureLowPass = 75, ExposureLowWarn = 55, ExposureHighPass = 225, ExposureHighWarn = 240;
    public const double LightingPass = 0.35, LightingWarn = 0.5;
    public const double BackgroundPass = 4.5, BackgroundWarn = 6;
    public const double ClothingContrastPass = 60, ClothingContrastWarn = 35;
    public const double RedClothingFail = 0.25;
    public const double DarkClothingLuma = 140;
    public const double ShoulderOverflow = 0.06, SideOverflow = 0.08;
}
