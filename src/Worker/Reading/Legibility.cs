using OpenCvSharp;

namespace VerifyPipeline.Worker.Reading;

/// <summary>Sharpness and contrast of the region of a page that matters (a document side, the form), measured on a copy
/// resampled to <see cref="MeasurePxPerMm"/> so that a 150 dpi scan, a 300 dpi scan and a phone photo are judged on the same
/// scale: the variance of the Laplacian falls with blur, (p50 − p1) / 255 (ink against paper) with a dark or washed-out capture.</summary>
public static class Legibility
{
    public const double MeasurePxPerMm = 6;

    public static (double BlurVariance, double Contrast) Measure(Mat grey, double pxPerMm)
    {
        using var m = new Mat();
        var s = MeasurePxPerMm / pxPerMm;
        Cv2.Resize(grey, m, new Size(), s, s, s < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        using var lap = new Mat();
        Cv2.Laplacian(m, lap, MatType.CV_64F);
        Cv2.MeanStdDev(lap, out _, out var sd);
        using var hist = new Mat();
        Cv2.CalcHist([m], [0], null, hist, 1, [256], [new Rangef(0, 256)]);
        double total = m.Width * m.Height, acc = 0;
        int p1 = 0, p50 = 255;
        var got1 = false;
        for (var i = 0; i < 256; i++)
        {
            acc += hist.At<float>(i);
            if (!got1 && acc >= 0.005 * total) { p1 = i; got1 = true; }
            if (acc >= 0.5 * total) { p50 = i; break; }
        }
        // Ink against paper: the darkest 0.5 % (text, photo) against the median (the paper or card ground).
        return (Math.Round(sd.Val0 * sd.Val0, 1), Math.Round((p50 - p1) / 255.0, 3));
    }
}
