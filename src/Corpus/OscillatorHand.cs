using SkiaSharp;

namespace VerifyPipeline.Corpus;

/// <summary>Something that signs: draws one repetition of a person's signature (or a tracing of it) into a box.</summary>
public interface ISignatureHand
{
    void Draw(SKCanvas canvas, SKRect boxMm, SignatureKind kind, int variationSeed, SKColor ink);
}

/// <summary>
/// The second hand family of the calibration, written so that the signature comparison can be tried on writers it was
/// not fitted on with another stroke model than <see cref="SignatureHand"/>'s splines through control points: the pen's
/// trajectory is a pair of coupled oscillations (a horizontal sweep plus a vertical oscillation whose amplitude and
/// phase change letter by letter, as in Hollerbach's model of cursive handwriting), sampled densely and drawn as a
/// polyline with a pressure-modulated width. A person is a set of pen-down runs (1–3), each with its own letter count,
/// per-letter heights (some ascenders and descenders), loopiness (the phase lag of x behind y) and drift; a repetition
/// varies the timing (a smooth time warp), the heights a little, scale, rotation and slant; a tracing follows the same
/// trajectory slowly — larger per-letter errors, a tremor along the line, even pressure and wrong proportions.
/// </summary>
public sealed class OscillatorHand : ISignatureHand
{
    private sealed record Run(double X0, double Width, double[] Heights, double[] Depths, double Lag, double Drift, double Baseline);

    private readonly Run[] _runs;
    private readonly double _slant, _pen;
    private readonly bool _underline;

    private OscillatorHand(Run[] runs, double slant, double pen, bool underline) => (_runs, _slant, _pen, _underline) = (runs, slant, pen, underline);

    public static OscillatorHand FromSeed(int seed)
    {
        var rng = new Random(seed);
        var count = rng.Next(1, 4);
        var runs = new Run[count];
        var x = 0.02;
        var total = 0.96;
        for (var r = 0; r < count; r++)
        {
            var width = total / count * (0.8 + rng.NextDouble() * 0.2);
            var letters = rng.Next(3, 10);
            var heights = new double[letters];
            var depths = new double[letters];
            for (var l = 0; l < letters; l++)
            {
                heights[l] = rng.NextDouble() < 0.2 ? 0.22 + rng.NextDouble() * 0.1 : 0.07 + rng.NextDouble() * 0.07;
                depths[l] = rng.NextDouble() < 0.12 ? 0.06 + rng.NextDouble() * 0.06 : 0.0;
            }
            if (rng.NextDouble() < 0.7) heights[0] = 0.26 + rng.NextDouble() * 0.1; // a capital
            runs[r] = new Run(x, width, heights, depths, 0.3 + rng.NextDouble() * 1.2, rng.NextDouble() * 0.04 - 0.02, 0.28 + rng.NextDouble() * 0.04);
            x += total / count;
        }
        return new OscillatorHand(runs, rng.NextDouble() * 0.5 - 0.15, 0.25 + rng.NextDouble() * 0.3, rng.NextDouble() < 0.35);
    }

    public void Draw(SKCanvas canvas, SKRect boxMm, SignatureKind kind, int variationSeed, SKColor ink)
    {
        var rng = new Random(variationSeed);
        var traced = kind == SignatureKind.SkilledForgery;
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var scale = 1 + Gauss() * 0.05;
        var stretchX = 1 + Gauss() * (traced ? 0.1 : 0.035);
        var heightError = traced ? 0.18 : 0.06;
        var rotation = (float)(Gauss() * 2);
        var slant = _slant + Gauss() * (traced ? 0.1 : 0.035);
        var width = Math.Min(boxMm.Width * 0.85, boxMm.Height * 0.95 / 0.42) * scale;
        var ox = boxMm.Left + boxMm.Width * 0.07 + rng.NextDouble() * boxMm.Width * 0.04;
        var oy = boxMm.MidY - width * 0.2 + Gauss() * boxMm.Height * 0.04;

        canvas.Save();
        canvas.RotateDegrees(rotation, boxMm.MidX, boxMm.MidY);
        using var paint = new SKPaint { Color = ink, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round };
        SKPoint At(double u, double v) => new((float)(ox + (u * stretchX + (0.4 - v) * slant) * width), (float)(oy + v * width));

        foreach (var run in _runs)
        {
            // A smooth time warp: the same letters written a little faster here, slower there.
            double w1 = Gauss() * 0.04, w2 = Gauss() * 0.03;
            var n = run.Heights.Length;
            var heights = run.Heights.Select(h => h * (1 + Gauss() * heightError)).ToArray();
            var depths = run.Depths.Select(d => d * (1 + Gauss() * heightError)).ToArray();
            const int perLetter = 28;
            var pts = new List<(SKPoint P, double Speed)>();
            for (var k = 0; k <= n * perLetter; k++)
            {
                var s = k / (double)(n * perLetter);
                var t = s + w1 * Math.Sin(Math.PI * s) + w2 * Math.Sin(2 * Math.PI * s);
                var phase = t * n * 2 * Math.PI;
                var letter = Math.Clamp((int)(t * n), 0, n - 1);
                var up = Math.Sin(phase - Math.PI / 2); // −1 at the baseline, +1 at the letter's top
                var amp = up >= 0 ? heights[letter] : depths[letter] + 0.02;
                var v = run.Baseline - (up >= 0 ? up * amp : up * amp) - run.Drift * t;
                // x sweeps forward and oscillates with the lag that makes loops (large lag) or garlands (small).
                var u = run.X0 + t * run.Width + 0.35 * run.Width / n * Math.Sin(phase - Math.PI / 2 - run.Lag) * 0.5;
                if (traced && k > 0 && k < n * perLetter)
                {
                    u += (rng.NextDouble() - 0.5) * 0.004;
                    v += (rng.NextDouble() - 0.5) * 0.004;
                }
                pts.Add((At(u, v), Math.Abs(Math.Cos(phase - Math.PI / 2))));
            }
            // Pressure: a writer's line is thinner where the pen moves fast; a tracer presses evenly.
            for (var i = 1; i < pts.Count; i++)
            {
                paint.StrokeWidth = (float)(_pen * (traced ? 1.1 : 0.75 + 0.5 * (1 - pts[i].Speed)));
                canvas.DrawLine(pts[i - 1].P, pts[i].P, paint);
            }
        }
        if (_underline)
        {
            paint.StrokeWidth = (float)_pen;
            var y = 0.37 + Gauss() * 0.005;
            using var b = new SKPathBuilder();
            b.MoveTo(At(0.08, y + 0.015));
            b.CubicTo(At(0.35, y - 0.02), At(0.65, y - 0.02), At(0.92, y + 0.005));
            using var path = b.Detach();
            canvas.DrawPath(path, paint);
        }
        canvas.Restore();
    }
}
