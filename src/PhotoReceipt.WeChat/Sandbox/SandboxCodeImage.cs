using QRCoder;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// A stand-in for a mini-program code in sandbox mode: a QR code of the scene (8 px modules) as a
/// real PNG, so pages that show the code have an image to show and a tester's phone can read it.
/// QRCoder writes the PNG itself, so the API host never loads the imaging libraries for it.
/// </summary>
internal static class SandboxCodeImage
{
    public const int ModulePx = 8;

    public static byte[] Render(string scene) =>
        PngByteQRCodeHelper.GetQRCode(scene, QRCodeGenerator.ECCLevel.M, ModulePx);
}
