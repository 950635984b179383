using OpenCvSharp;
using ZXing;
using ZXing.Common;

namespace VerifyPipeline.Worker.Tests.Families;

/// <summary>Decodes a Code 128 anywhere in a grey image with ZXing.Net (the blind families' tests: the CIE back's codice
/// fiscale must be decodable as drawn and on most scans).</summary>
internal static class Code128
{
    public static string? Decode(Mat grey)
    {
        var bytes = new byte[grey.Rows * grey.Cols];
        using (var continuous = grey.Clone())
            System.Runtime.InteropServices.Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        var source = new RGBLuminanceSource(bytes, grey.Cols, grey.Rows, RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.CODE_128 },
            [DecodeHintType.TRY_HARDER] = true,
        };
        return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints)?.Text;
    }
}
