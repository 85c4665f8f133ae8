using System.Buffers.Binary;

namespace SoraEvents.Service.Tests.Support;

/// <summary>Images for data: URIs. Only the header matters to the checks under test, so only the header is real.</summary>
public static class TestImages
{
    public static byte[] Png(int width, int height, int padTo = 64)
    {
        var bytes = new byte[Math.Max(padTo, 33)];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8; // bit depth
        bytes[25] = 2; // truecolour
        return bytes;
    }

    public static string PngDataUri(int width, int height, int padTo = 64) =>
        "data:image/png;base64," + Convert.ToBase64String(Png(width, height, padTo));
}
