namespace PhotoReceipt.Imaging;

/// <summary>A libvips or native-library failure, carrying the library's own error text.</summary>
public sealed class ImagingException : Exception
{
    public ImagingException(string message) : base(message) { }
    public ImagingException(string message, Exception inner) : base(message, inner) { }
    public ImagingException() { }
}
