using OpenCvSharp;

namespace VerifyPipeline.Worker.Signatures;

/// <summary>
/// What is kept of one prepared signature for comparing it: its skeleton's points, the distance transform of the
/// skeleton (the distance from any canvas pixel to the nearest stroke), the HOG of its canvas and its aspect and slant.
/// </summary>
public sealed class SignatureDescriptor
{
    public required Point2f[] Skeleton { get; init; }
    public required float[] Distance { get; init; }

    /// <summary>For each canvas pixel, the index in <see cref="Skeleton"/> of the nearest skeleton point.</summary>
    public required int[] Nearest { get; init; }
    public required float[] Hog { get; init; }

    /// <summary>The stroke's tangent angle at each <see cref="Skeleton"/> point (radians, structure tensor of the
    /// smoothed canvas: at a stroke's centre line the plain gradient vanishes, the tensor does not).</summary>
    public required float[] Tangent { get; init; }
    public double Aspect { get; init; }
    public double Slant { get; init; }
    public double Resolution { get; init; }
    public double InkWidth { get; init; }
    public double InkHeight { get; init; }
}

/// <summary>
/// Registration, then shape agreement. Two repetitions of one person's signature are the same shape up to a small
/// affine transform plus a little jitter; a forgery traced from it has several times that jitter, a tremor and wrong
/// proportions, another person's signature a different shape. So B is first aligned onto A (a coarse search over scale
/// and shear by cross-correlation, refined by ECC with an affine model on blurred canvases, coarse then fine), and the
/// scores measure what is left: how far each skeleton lies from the other (symmetric chamfer, coverage within 2 px),
/// how much the alignment had to distort (an affine far from the identity means different proportions), the ECC
/// correlation, HOG of the aligned canvases, aspect and slant.
/// </summary>
public static class SignatureFeatures
{
    /// <summary>The sub-scores, in the order of the fusion weights. Each is a similarity in [0, 1].</summary>
    public static readonly string[] Names = ["chamfer", "chamfer_worst", "coverage", "ecc", "warp", "hog", "aspect", "slant", "direction", "overlap"];

    private const int W = PreparedSignature.CanvasW, H = PreparedSignature.CanvasH;

    /// <summary>Distances are capped here (canvas px): a stroke with no counterpart counts as this far, however far.</summary>
    private const float Cap = 16f;

    /// <summary>A skeleton pixel within this distance (canvas px) of the other skeleton is "covered".</summary>
    private const float Near = 2.5f;

    private static readonly HOGDescriptor HogDescriptor = new(new Size(W, H), new Size(32, 32), new Size(16, 16), new Size(16, 16), 9);

    public static SignatureDescriptor Describe(PreparedSignature p)
    {
        if (p.Empty || p.Canvas is null || p.Skeleton is null || p.Smooth is null) throw new ArgumentException("an empty signature has no features", nameof(p));
        p.Skeleton.GetArray(out byte[] skel);
        var points = new List<Point2f>();
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
                if (skel[y * W + x] != 0) points.Add(new Point2f(x, y));
        using var inverted = new Mat();
        Cv2.BitwiseNot(p.Skeleton, inverted);
        using var distMat = new Mat();
        Cv2.DistanceTransform(inverted, distMat, DistanceTypes.L2, DistanceTransformMasks.Precise);
        distMat.GetArray(out float[] distance);
        // Nearest skeleton point of every pixel: the labels of the zero pixels (the skeleton), mapped back to our points.
        using var approx = new Mat();
        using var labels = new Mat();
        Cv2.DistanceTransformWithLabels(inverted, approx, labels, DistanceTypes.L2, DistanceTransformMasks.Mask5, DistanceTransformLabelTypes.Pixel);
        labels.GetArray(out int[] lab);
        var byLabel = new int[W * H + 2];
        for (var i = 0; i < points.Count; i++) byLabel[lab[(int)points[i].Y * W + (int)points[i].X]] = i;
        var nearest = new int[W * H];
        for (var i = 0; i < nearest.Length; i++) nearest[i] = byLabel[lab[i]];
        return new SignatureDescriptor
        {
            Skeleton = [.. points], Distance = distance, Nearest = nearest, Hog = Hog(p.Smooth), Tangent = Tangents(p.Smooth, points),
            Aspect = p.Aspect, Slant = p.Slant, Resolution = p.Resolution, InkWidth = p.InkWidth, InkHeight = p.InkHeight,
        };
    }

    private static float[] Tangents(Mat smooth, List<Point2f> points)
    {
        using var f = new Mat();
        smooth.ConvertTo(f, MatType.CV_32F, 1 / 255.0);
        using var gx = new Mat();
        using var gy = new Mat();
        Cv2.Sobel(f, gx, MatType.CV_32F, 1, 0);
        Cv2.Sobel(f, gy, MatType.CV_32F, 0, 1);
        using var jxx = gx.Mul(gx).ToMat();
        using var jyy = gy.Mul(gy).ToMat();
        using var jxy = gx.Mul(gy).ToMat();
        foreach (var j in new[] { jxx, jyy, jxy }) Cv2.GaussianBlur(j, j, new Size(0, 0), 2);
        jxx.GetArray(out float[] xx);
        jyy.GetArray(out float[] yy);
        jxy.GetArray(out float[] xy);
        var t = new float[points.Count];
        for (var i = 0; i < t.Length; i++)
        {
            var k = (int)points[i].Y * W + (int)points[i].X;
            t[i] = (float)(0.5 * Math.Atan2(2 * xy[k], xx[k] - yy[k]) + Math.PI / 2);
        }
        return t;
    }

    private static float[] Hog(Mat smooth)
    {
        lock (HogDescriptor) return HogDescriptor.Compute(smooth);
    }

    /// <summary>Compares two prepared signatures (B registered onto A); <paramref name="da"/>, <paramref name="db"/>
    /// are their descriptions when the caller keeps them.</summary>
    public static double[] Compare(PreparedSignature a, PreparedSignature b, SignatureDescriptor? da = null, SignatureDescriptor? db = null)
    {
        if (a.Canvas is null || b.Canvas is null || a.Smooth is null || b.Smooth is null) throw new ArgumentException("an empty signature has no features");
        da ??= Describe(a);
        db ??= Describe(b);

        // warp: A's canvas coordinates → B's (FindTransformECC's convention: B(warp(x)) ≈ A(x)).
        var (ecc, warp) = Register(a, b, da, db);
        var inv = Invert(warp);
        var (dAB, covAB) = Chamfer(da.Skeleton, warp, db.Distance);
        var (dBA, covBA) = Chamfer(db.Skeleton, inv, da.Distance);

        using var warped = new Mat();
        using (var m = ToMat(warp))
            Cv2.WarpAffine(b.Smooth, warped, m, b.Smooth.Size(), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap);

        var s = new double[Names.Length];
        s[0] = Math.Exp(-(dAB + dBA) / 2 / 3.0);
        s[1] = Math.Exp(-Math.Max(dAB, dBA) / 3.0);
        s[2] = Math.Min(covAB, covBA);
        s[3] = ecc;
        s[4] = Math.Exp(-Anisotropy(Physical(warp, da, db)) / 0.1);
        s[5] = Cosine(da.Hog, Hog(warped));
        s[6] = Math.Min(da.Aspect, db.Aspect) / Math.Max(da.Aspect, db.Aspect);
        s[7] = Math.Exp(-Math.Abs(da.Slant - db.Slant) / 0.25);
        s[8] = (Direction(da, db, warp) + Direction(db, da, inv)) / 2;
        s[9] = Math.Max(0, Zncc(a.Smooth, warped));
        for (var i = 0; i < s.Length; i++) s[i] = double.IsFinite(s[i]) ? Math.Clamp(s[i], 0, 1) : 0;
        return s;
    }

    /// <summary>Oriented chamfer: for each of A's points that lands within 4 px of B's skeleton, cos² of the angle between
    /// A's tangent (carried by the warp) and the tangent of B's nearest point, averaged; points with no counterpart
    /// count 0. Another writer's arches can lie near these strokes and still cross them.</summary>
    private static double Direction(SignatureDescriptor a, SignatureDescriptor b, double[] w)
    {
        if (a.Skeleton.Length == 0) return 0;
        double sum = 0;
        for (var i = 0; i < a.Skeleton.Length; i++)
        {
            var (x, y) = Map(w, a.Skeleton[i]);
            var (xi, yi) = ((int)Math.Round(x), (int)Math.Round(y));
            if (xi < 0 || yi < 0 || xi >= W || yi >= H || b.Distance[yi * W + xi] > 4) continue;
            double tx = Math.Cos(a.Tangent[i]), ty = Math.Sin(a.Tangent[i]);
            double ux = w[0] * tx + w[1] * ty, uy = w[3] * tx + w[4] * ty;
            var j = b.Nearest[yi * W + xi];
            double vx = Math.Cos(b.Tangent[j]), vy = Math.Sin(b.Tangent[j]);
            var dot = ux * vx + uy * vy;
            sum += dot * dot / Math.Max(1e-9, ux * ux + uy * uy);
        }
        return sum / a.Skeleton.Length;
    }

    /// <summary>The canvas warp A → B in the signatures' own proportions (each canvas is its ink box stretched to
    /// W × H): B's box scale ∘ warp ∘ A's box scale⁻¹, linear part only.</summary>
    private static double[] Physical(double[] w, SignatureDescriptor a, SignatureDescriptor b)
    {
        double ax = (W - 8.0) / a.InkWidth, ay = (H - 8.0) / a.InkHeight, bx = b.InkWidth / (W - 8.0), by = b.InkHeight / (H - 8.0);
        return [bx * w[0] * ax, bx * w[1] * ay, 0, by * w[3] * ax, by * w[4] * ay, 0];
    }

    /// <summary>ln(σ₁/σ₂) of the linear part: 0 for a similarity (scale, rotation); a stretch or a shear raises it. Two
    /// repetitions by one hand differ by a few per cent; a tracer's copy by ~12 % stretch and ~0.12 slant.</summary>
    private static double Anisotropy(double[] w)
    {
        double a = w[0], b = w[1], c = w[3], d = w[4];
        var det = Math.Abs(a * d - b * c);
        if (det <= 1e-9) return 10;
        var s1 = Math.Sqrt((a * a + b * b + c * c + d * d + Math.Sqrt(Math.Pow(a * a + b * b - c * c - d * d, 2) + 4 * Math.Pow(a * c + b * d, 2))) / 2);
        return Math.Log(s1 * s1 / det);
    }

    /// <summary>The affine that best overlays B on A: the coarse search from the identity (both canvases are the ink box
    /// stretched to the same size, so genuine pairs start close), ECC on the half-size canvases blurred σ 2 (a wide
    /// basin; its correlation is a sub-score), then iterative closest points on the skeletons, which minimises the
    /// very distance that is scored. A step that diverges (scale outside 0.65–1.5, strong shear) is not taken.</summary>
    private static (double Ecc, double[] Warp) Register(PreparedSignature a, PreparedSignature b, SignatureDescriptor da, SignatureDescriptor db)
    {
        var (ncc, bToA) = Align(a.Canvas!, b.Canvas!);
        var warp = Invert(bToA);
        var ecc = ncc;
        using (var ta = Blurred(a.Canvas!, 2))
        using (var tb = Blurred(b.Canvas!, 2))
        using (var m = ToMat([warp[0], warp[1], warp[2] / 2, warp[3], warp[4], warp[5] / 2], MatType.CV_32FC1))
        {
            try
            {
                var rho = Cv2.FindTransformECC(ta, tb, m, MotionTypes.Affine, new TermCriteria(CriteriaTypes.Count | CriteriaTypes.Eps, 30, 1e-3), null, 1);
                var c = FromMat(m);
                c[2] *= 2; c[5] *= 2;
                if (double.IsFinite(rho) && Plausible(c)) { warp = c; ecc = rho; }
            }
            catch (OpenCVException) { /* not converged: keep the coarse estimate */ }
        }
        foreach (var reach in new[] { 12f, 8f, 6f, 5f, 4f, 4f, 4f, 4f })
        {
            var next = IcpStep(warp, da, db, reach);
            if (next is null || !Plausible(next)) break;
            warp = next;
        }
        return (Math.Clamp(ecc, 0, 1), warp);
    }

    private static bool Plausible(double[] w)
    {
        double a = w[0], b = w[1], c = w[3], d = w[4];
        var det = a * d - b * c;
        return det > 0.4 && det < 2.3 && a > 0.65 && a < 1.5 && d > 0.65 && d < 1.5 && Math.Abs(b) < 0.5 && Math.Abs(c) < 0.5
            && Math.Abs(w[2]) < W / 4.0 && Math.Abs(w[5]) < H / 4.0;
    }

    /// <summary>One symmetric ICP step: each skeleton point of A (mapped to B) paired with B's nearest skeleton point,
    /// each of B's (mapped back) with A's nearest, pairs farther than <paramref name="reach"/> dropped (strokes with no
    /// counterpart); the least-squares affine of the pairs.</summary>
    private static double[]? IcpStep(double[] w, SignatureDescriptor a, SignatureDescriptor b, float reach)
    {
        var inv = Invert(w);
        // Normal equations of q = M·(x, y, 1): Σ p pᵀ and Σ p qx, Σ p qy.
        double sxx = 0, sxy = 0, sx = 0, syy = 0, sy = 0, n = 0, xqx = 0, yqx = 0, qx = 0, xqy = 0, yqy = 0, qy = 0;
        void Add(double px, double py, double tx, double ty)
        {
            sxx += px * px; sxy += px * py; sx += px; syy += py * py; sy += py; n++;
            xqx += px * tx; yqx += py * tx; qx += tx; xqy += px * ty; yqy += py * ty; qy += ty;
        }
        var r2 = reach * reach;
        foreach (var p in a.Skeleton)
        {
            var (x, y) = Map(w, p);
            var (xi, yi) = ((int)Math.Round(x), (int)Math.Round(y));
            if (xi < 0 || yi < 0 || xi >= W || yi >= H) continue;
            var q = b.Skeleton[b.Nearest[yi * W + xi]];
            if ((q.X - x) * (q.X - x) + (q.Y - y) * (q.Y - y) <= r2) Add(p.X, p.Y, q.X, q.Y);
        }
        foreach (var q in b.Skeleton)
        {
            var (x, y) = Map(inv, q);
            var (xi, yi) = ((int)Math.Round(x), (int)Math.Round(y));
            if (xi < 0 || yi < 0 || xi >= W || yi >= H) continue;
            var p = a.Skeleton[a.Nearest[yi * W + xi]];
            if ((p.X - x) * (p.X - x) + (p.Y - y) * (p.Y - y) <= r2) Add(p.X, p.Y, q.X, q.Y);
        }
        if (n < 30) return null;
        double[,] m = { { sxx, sxy, sx }, { sxy, syy, sy }, { sx, sy, n } };
        var rx = Solve3(m, xqx, yqx, qx);
        var ry = Solve3(m, xqy, yqy, qy);
        return rx is null || ry is null ? null : [rx[0], rx[1], rx[2], ry[0], ry[1], ry[2]];
    }

    private static (double X, double Y) Map(double[] w, Point2f p) => (w[0] * p.X + w[1] * p.Y + w[2], w[3] * p.X + w[4] * p.Y + w[5]);

    /// <summary>Cramer's rule for a symmetric 3 × 3 system; null when singular.</summary>
    private static double[]? Solve3(double[,] m, double b0, double b1, double b2)
    {
        double Det(double a00, double a01, double a02, double a10, double a11, double a12, double a20, double a21, double a22) =>
            a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
        var d = Det(m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2], m[2, 0], m[2, 1], m[2, 2]);
        if (Math.Abs(d) < 1e-9) return null;
        return
        [
            Det(b0, m[0, 1], m[0, 2], b1, m[1, 1], m[1, 2], b2, m[2, 1], m[2, 2]) / d,
            Det(m[0, 0], b0, m[0, 2], m[1, 0], b1, m[1, 2], m[2, 0], b2, m[2, 2]) / d,
            Det(m[0, 0], m[0, 1], b0, m[1, 0], m[1, 1], b1, m[2, 0], m[2, 1], b2) / d,
        ];
    }

    private static Mat Blurred(Mat canvas, double sigma)
    {
        var f = new Mat();
        canvas.ConvertTo(f, MatType.CV_32F, 1 / 255.0);
        Cv2.GaussianBlur(f, f, new Size(0, 0), sigma);
        return f;
    }

    /// <summary>Mean distance (capped) from each of one skeleton's points, mapped by <paramref name="w"/>, to the other
    /// skeleton, and the share of them within <see cref="Near"/>.</summary>
    private static (double Mean, double Covered) Chamfer(Point2f[] points, double[] w, float[] distance)
    {
        if (points.Length == 0) return (Cap, 0);
        var d = new float[points.Length];
        var near = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var (x, y) = Map(w, points[i]);
            var xi = (int)Math.Round(x);
            var yi = (int)Math.Round(y);
            d[i] = xi < 0 || yi < 0 || xi >= W || yi >= H ? Cap : Math.Min(distance[yi * W + xi], Cap);
            if (d[i] <= Near) near++;
        }
        // The mean of the nearest 90 %: an i-dot or a flourish end present in one repetition only does not dominate,
        // while a tracer's wobble, spread along every stroke, still counts.
        Array.Sort(d);
        var keep = Math.Max(1, (int)(0.9 * d.Length));
        double sum = 0;
        for (var i = 0; i < keep; i++) sum += d[i];
        return (sum / keep, near / (double)points.Length);
    }

    private static readonly double[] ScalesX = [0.84, 0.92, 1.08, 1.16], ScalesY = [0.88, 1.12], ShearsY = [-0.12, -0.06, 0.06, 0.12];

    /// <summary>Coordinate search, one parameter at a time from the identity: x scale, y scale, vertical shear (what a
    /// small rotation leaves after deslanting a wide signature), each with the best shift by template matching of the
    /// blurred half-size canvases. Returns the correlation and the warp B → A.</summary>
    private static (double Ncc, double[] Transform) Align(Mat a, Mat b)
    {
        const int pad = 10;
        using var sa = Small(a);
        using var sb = Small(b);
        using var padded = new Mat();
        Cv2.CopyMakeBorder(sa, padded, pad, pad, pad, pad, BorderTypes.Constant, Scalar.All(0));
        double bx = 1, by = 1, bh = 0;
        var (best, shift) = Try(bx, by, bh);
        foreach (var sx in ScalesX) Keep(sx, by, bh);
        foreach (var sy in ScalesY) Keep(bx, sy, bh);
        foreach (var sh in ShearsY) Keep(bx, by, sh);
        var f = a.Width / (double)sa.Width;
        return (best, Affine(bx, by, bh, a.Width / 2.0, a.Height / 2.0, (shift.X - pad) * f, (shift.Y - pad) * f));

        void Keep(double sx, double sy, double sh)
        {
            var (v, loc) = Try(sx, sy, sh);
            if (v > best) { best = v; shift = loc; bx = sx; by = sy; bh = sh; }
        }

        (double, Point) Try(double sx, double sy, double sh)
        {
            using var t = ToMat(Affine(sx, sy, sh, sb.Width / 2.0, sb.Height / 2.0, 0, 0));
            using var warped = new Mat();
            Cv2.WarpAffine(sb, warped, t, sb.Size());
            using var result = new Mat();
            Cv2.MatchTemplate(padded, warped, result, TemplateMatchModes.CCorrNormed);
            Cv2.MinMaxLoc(result, out _, out double max, out _, out Point loc);
            return (max, loc);
        }

        static Mat Small(Mat canvas)
        {
            var small = new Mat();
            Cv2.Resize(canvas, small, new Size(canvas.Width / 2, canvas.Height / 2), 0, 0, InterpolationFlags.Area);
            small.ConvertTo(small, MatType.CV_32F, 1 / 255.0);
            Cv2.GaussianBlur(small, small, new Size(0, 0), 2);
            return small;
        }
    }

    /// <summary>Scaling by (sx, sy) and vertical shear sh (y += sh·x) about (cx, cy), then a shift; row-major 2 × 3.</summary>
    private static double[] Affine(double sx, double sy, double sh, double cx, double cy, double dx, double dy) =>
        [sx, 0, cx - sx * cx + dx, sh * sy, sy, cy - sy * cy - sh * sy * cx + dy];

    private static double[] Invert(double[] w)
    {
        double a = w[0], b = w[1], c = w[3], d = w[4];
        var det = a * d - b * c;
        if (Math.Abs(det) < 1e-9) return [1, 0, 0, 0, 1, 0];
        double ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
        return [ia, ib, -(ia * w[2] + ib * w[5]), ic, id, -(ic * w[2] + id * w[5])];
    }

    private static Mat ToMat(double[] w) => ToMat(w, MatType.CV_64FC1);

    private static Mat ToMat(double[] w, MatType type)
    {
        var m = new Mat(2, 3, type);
        for (var i = 0; i < 6; i++)
            if (type == MatType.CV_32FC1) m.Set(i / 3, i % 3, (float)w[i]);
            else m.Set(i / 3, i % 3, w[i]);
        return m;
    }

    private static double[] FromMat(Mat m)
    {
        var w = new double[6];
        for (var i = 0; i < 6; i++) w[i] = m.Get<float>(i / 3, i % 3);
        return w;
    }

    /// <summary>Zero-mean normalised correlation of two canvases of the same size.</summary>
    private static double Zncc(Mat a, Mat b)
    {
        using var r = new Mat();
        Cv2.MatchTemplate(a, b, r, TemplateMatchModes.CCoeffNormed);
        return r.Get<float>(0, 0);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return aa > 0 && bb > 0 ? ab / Math.Sqrt(aa * bb) : 0;
    }
}
