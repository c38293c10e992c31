using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Matting;

/// <summary>
/// Separates the person from the background on a small, levelled region around them. The one
/// seam where a learned matting model (MODNet, BiRefNet, …) would replace classical GrabCut.
/// </summary>
internal interface IPortraitMatting
{
    /// <param name="region">Packed RGB around the person, eyes level.</param>
    /// <param name="face">The face's landmarks in region pixels.</param>
    /// <param name="headTopGuess">A first guess of the head top's y, from the landmarks.</param>
    /// <param name="inside">Per region pixel, whether it lies inside the uploaded photo (the rest
    /// repeats the photo's edge and proves nothing about the background).</param>
    /// <returns>A 1-channel mask of the region, 255 = person.</returns>
    RgbImage Segment(RgbImage region, FaceLandmarks face, double headTopGuess, bool[] inside);
}
