using System.Buffers.Binary;

namespace SoraEvents.Imaging;

/// <summary>
/// Reads an image's format and pixel dimensions from its header, without decoding it: the gateways'
/// rules need only those, and an image library would be a heavy dependency for two numbers.
/// </summary>
public static class ImageHeaderReader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the format and dimensions of a PNG, JPEG or WebP image from the start of its bytes.</summary>
    /// <param name="data">The image, or at least its beginning up to the dimensions (for a JPEG, up to its frame header).</param>
    /// <param name="format">The format found; meaningless when false is returned.</param>
    /// <param name="dimensions">Width and height, both at least 1; meaningless when false is returned.</param>
    /// <returns>False when the bytes are not a PNG, JPEG or WebP header, or are cut short before the dimensions.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, out ImageFormat format, out ImageDimensions dimensions)
    {
        if (TryReadPng(data, out dimensions))
        {
            format = ImageFormat.Png;
            return true;
        }

        if (TryReadJpeg(data, out dimensions))
        {
            format = ImageFormat.Jpeg;
            return true;
        }

        if (TryReadWebP(data, out dimensions))
        {
            format = ImageFormat.WebP;
            return true;
        }

        format = default;
        return false;
    }

    // PNG: the IHDR chunk must come first, so width and height sit at fixed offsets 16 and 20.
    private static bool TryReadPng(ReadOnlySpan<byte> data, out ImageDimensions dimensions)
    {
        dimensions = default;
        if (data.Length < 24 || !data[..8].SequenceEqual(PngSignature) || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16, 4));
        var height = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20, 4));
        return TryCreate(width, height, out dimensions);
    }

    // JPEG: walk the marker segments until a start-of-frame; its payload is precision, height, width.
    private static bool TryReadJpeg(ReadOnlySpan<byte> data, out ImageDimensions dimensions)
    {
        dimensions = default;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return false;
        }

        var position = 2;
        while (position < data.Length)
        {
            if (data[position] != 0xFF)
            {
                return false;
            }

            // Any number of 0xFF fill bytes may precede a marker.
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return false;
            }

            var marker = data[position++];
            if (marker is 0xD9 or 0xDA)
            {
                // End of image, or scan data whose frame header should already have been seen.
                return false;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue;
            }

            if (position + 2 > data.Length)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position, 2));
            if (length < 2)
            {
                return false;
            }

            if (IsStartOfFrame(marker))
            {
                if (position + 7 > data.Length)
                {
                    return false;
                }

                var height = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position + 3, 2));
                var width = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position + 5, 2));
                return TryCreate(width, height, out dimensions);
            }

            position += length;
        }

        return false;
    }

    // SOF0..SOF15, except the three codes in that range that mean something else: DHT, JPG, DAC.
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    // WebP: a RIFF container whose first chunk says lossy (VP8), lossless (VP8L) or extended (VP8X).
    private static bool TryReadWebP(ReadOnlySpan<byte> data, out ImageDimensions dimensions)
    {
        dimensions = default;
        if (data.Length < 20 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return false;
        }

        var chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Three bytes of frame tag, the key-frame start code, then 14-bit width and height.
            if (data.Length < 30 || data[23] != 0x9D || data[24] != 0x01 || data[25] != 0x2A)
            {
                return false;
            }

            var width = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(26, 2)) & 0x3FFFu;
            var height = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28, 2)) & 0x3FFFu;
            return TryCreate(width, height, out dimensions);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // A signature byte, then width-1 and height-1 packed as two 14-bit fields.
            if (data.Length < 25 || data[20] != 0x2F)
            {
                return false;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(21, 4));
            return TryCreate((bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1, out dimensions);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Flags and reserved bytes, then canvas width-1 and height-1 as 24-bit integers.
            if (data.Length < 30)
            {
                return false;
            }

            return TryCreate(ReadUInt24LittleEndian(data.Slice(24, 3)) + 1, ReadUInt24LittleEndian(data.Slice(27, 3)) + 1, out dimensions);
        }

        return false;
    }

    private static uint ReadUInt24LittleEndian(ReadOnlySpan<byte> bytes) => bytes[0] | ((uint)bytes[1] << 8) | ((uint)bytes[2] << 16);

    private static bool TryCreate(uint width, uint height, out ImageDimensions dimensions)
    {
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue)
        {
            dimensions = default;
            return false;
        }

        dimensions = new ImageDimensions((int)width, (int)height);
        return true;
    }
}
