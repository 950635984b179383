using System.IO.Compression;
using UglyToad.PdfPig.Writer;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Small synthetic files made in the test (no personal data): a grey PNG, a PDF of N image pages, a zip.</summary>
public static class Samples
{
    public static string SharedTestData => Path.Combine(RepoRoot(), "..", "shared", "testdata", "real");

    public static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "VerifyPipeline.sln"))) d = d.Parent;
        return d?.FullName ?? throw new DirectoryNotFoundException("VerifyPipeline.sln not found above the test folder.");
    }

    /// <summary>A valid greyscale PNG of the given size, its pixels seeded so that two calls with different seeds differ.</summary>
    public static byte[] Png(int width = 64, int height = 48, int seed = 0)
    {
        using var m = new OpenCvSharp.Mat(height, width, OpenCvSharp.MatType.CV_8UC1, OpenCvSharp.Scalar.All(255));
        OpenCvSharp.Cv2.PutText(m, $"sample {seed}", new OpenCvSharp.Point(4, Math.Max(12, height / 2)), OpenCvSharp.HersheyFonts.HersheySimplex,
            Math.Max(0.3, width / 400.0), OpenCvSharp.Scalar.All(0), Math.Max(1, width / 300));
        m.Set(0, 0, (byte)(seed & 0xFF));
        m.Set(0, 1, (byte)((seed >> 8) & 0xFF));
        return m.ImEncode(".png");
    }

    /// <summary>A PDF with one embedded PNG image per A4 page, like a scanner makes.</summary>
    public static byte[] ScannedPdf(int pages, int widthPx = 1240, int heightPx = 1754)
    {
        var b = new PdfDocumentBuilder();
        for (var i = 0; i < pages; i++)
        {
            var page = b.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddPng(Png(widthPx, heightPx, i), new UglyToad.PdfPig.Core.PdfRectangle(0, 0, 595, 842));
        }
        return b.Build();
    }

    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }
}
