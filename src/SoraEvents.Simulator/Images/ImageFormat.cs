namespace SoraEvents.Simulator.Images;

/// <summary>The image formats whose headers the simulator can read, the ones the gateways accept.</summary>
internal enum ImageFormat
{
    Png,
    Jpeg,
    WebP,
}
