using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SoraEvents.Imaging.Tests.Support;

/// <summary>Builds images of any size in memory, so dimension rules can be tested without image files.</summary>
internal static class TestImages
{
    /// <summary>A complete, valid 8-bit greyscale PNG (black), small because its rows compress to almost nothing.</summary>
    public static byte[] Png(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        WriteChunk(png, "IHDR", header);

        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            {
                // Each row: filter type 0, then one byte per pixel.
                var row = new byte[width + 1];
                for (var y = 0; y < height; y++)
                {
                    zlib.Write(row);
                }
            }

            WriteChunk(png, "IDAT", pixels.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// The segments a JPEG decoder meets before its scan: JFIF, an Exif-like APP1 whose payload holds
    /// bytes that look like a frame marker, quantisation table, frame header, Huffman table, scan.
    /// Not decodable, but every header byte is where a real file puts it.
    /// </summary>
    public static byte[] Jpeg(int width, int height, byte startOfFrame = 0xC0)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        Segment(jpeg, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 72, 0, 72, 0, 0]);
        Segment(jpeg, 0xE1, [.. "Exif\0\0"u8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x01, 0x00, 0x01]);
        Segment(jpeg, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        jpeg.WriteByte(0xFF); // a fill byte, which decoders must skip
        var frame = new byte[15];
        frame[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(3), (ushort)width);
        frame[5] = 3;
        frame.AsSpan(6).Fill(1);
        Segment(jpeg, startOfFrame, frame);
        Segment(jpeg, 0xC4, [0x00, .. new byte[16]]);
        Segment(jpeg, 0xDA, [1, 1, 0, 0, 63, 0]);
        jpeg.Write([0x00, 0x00, 0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>A lossy (VP8) WebP header: frame tag, start code, 14-bit dimensions.</summary>
    public static byte[] WebPLossy(int width, int height)
    {
        var data = new byte[10];
        data[3] = 0x9D;
        data[4] = 0x01;
        data[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), (ushort)height);
        return Riff("VP8 ", data);
    }

    /// <summary>A lossless (VP8L) WebP header: signature byte, then width-1 and height-1 in 14 bits each.</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var data = new byte[5];
        data[0] = 0x2F;
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(1), bits);
        return Riff("VP8L", data);
    }

    /// <summary>An extended (VP8X) WebP header: flags, then canvas width-1 and height-1 in 24 bits each.</summary>
    public static byte[] WebPExtended(int width, int height)
    {
        var data = new byte[10];
        data[0] = 0x10; // has alpha
        WriteUInt24LittleEndian(data.AsSpan(4), width - 1);
        WriteUInt24LittleEndian(data.AsSpan(7), height - 1);
        return Riff("VP8X", data);
    }

    public static string DataUri(string mediaType, byte[] bytes) => $"data:{mediaType};base64,{Convert.ToBase64String(bytes)}";

    public static string PngDataUri(int width, int height) => DataUri("image/png", Png(width, height));

    public static string JpegDataUri(int width, int height) => DataUri("image/jpeg", Jpeg(width, height));

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(typeAndData));
        png.Write(crc);
    }

    private static void Segment(Stream jpeg, byte marker, byte[] payload)
    {
        jpeg.Write([0xFF, marker]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        jpeg.Write(length);
        jpeg.Write(payload);
    }

    private static byte[] Riff(string chunkType, byte[] chunkData)
    {
        using var riff = new MemoryStream();
        Span<byte> size = stackalloc byte[4];
        riff.Write("RIFF"u8);
        BinaryPrimitives.WriteInt32LittleEndian(size, 4 + 8 + chunkData.Length);
        riff.Write(size);
        riff.Write("WEBP"u8);
        riff.Write(Encoding.ASCII.GetBytes(chunkType));
        BinaryPrimitives.WriteInt32LittleEndian(size, chunkData.Length);
        riff.Write(size);
        riff.Write(chunkData);
        return riff.ToArray();
    }

    private static void WriteUInt24LittleEndian(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}
