using OpenCvSharp;

namespace VerifyPipeline.Worker.Signatures;

/// <summary>
/// What is compared of one prepared signature: HOG on the canvas, uniform-LBP histograms per zone, projection profiles,
/// a zoning grid of ink, Hu moments, the skeleton's distance transform (chamfer) and ORB keypoints, plus the aspect,
/// slant and density measured while preparing.
/// </summary>
public sealed class SignatureDescriptor : IDisposable
{
    public required float[] Hog { get; init; }
    public required double[][] Lbp { get; init; }
    public required double[] RowProfile { get; init; }
    public required double[] ColProfile { get; init; }
    public required double[] Zoning { get; init; }
    public required double[] Hu { get; init; }
    public required Point[] Skeleton { get; init; }
    public required float[] Distance { get; init; }
    public required KeyPoint[] Keypoints { get; init; }
    public required Mat Descriptors { get; init; }
    public double Aspect { get; init; }
    public double Slant { get; init; }
    public double Density { get; init; }

    public void Dispose()
    {
        Descriptors.Dispose();
    }
}

public static class SignatureFeatures
{
    /// <summary>The sub-scores, in the order of the fusion weights. Each is a similarity in [0, 1].</summary>
    public static readonly string[] Names = ["hog", "lbp", "profile", "zoning", "chamfer", "hu", "aspect", "slant", "density", "keypoints", "overlap"];

    private const int W = PreparedSignature.CanvasW, H = PreparedSignature.CanvasH;
    private const int LbpCols = 4, LbpRows = 2, ZoneCols = 16, ZoneRows = 8;

    private static readonly HOGDescriptor HogDescriptor = new(new Size(W, H), new Size(32, 32), new Size(16, 16), new Size(16, 16), 9);
    private static readonly byte[] UniformIndex = BuildUniform();

    public static SignatureDescriptor Describe(PreparedSignature p)
    {
        if (p.Empty || p.Canvas is null) throw new ArgumentException("an empty signature has no features", nameof(p));
        return Describe(p.Canvas, p.Aspect, p.Slant, p.Density);
    }

    private static SignatureDescriptor Describe(Mat canvasMat, double aspect, double slant, double density, bool keypoints = true)
    {
        using var smoothMat = new Mat();
        Cv2.GaussianBlur(canvasMat, smoothMat, new Size(7, 7), 1.5);
        float[] hog;
        lock (HogDescriptor) hog = HogDescriptor.Compute(smoothMat);

        smoothMat.GetArray(out byte[] smooth);
        canvasMat.GetArray(out byte[] canvas);

        var rows = new double[H];
        var cols = new double[W];
        var zoning = new double[ZoneCols * ZoneRows];
        var skeleton = new List<Point>();
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                if (canvas[y * W + x] == 0) continue;
                rows[y]++; cols[x]++;
                zoning[y * ZoneRows / H * ZoneCols + x * ZoneCols / W]++;
                if ((x + y) % 2 == 0) skeleton.Add(new Point(x, y));
            }

        using var inverted = new Mat();
        Cv2.BitwiseNot(canvasMat, inverted);
        using var distMat = new Mat();
        Cv2.DistanceTransform(inverted, distMat, DistanceTypes.L2, DistanceTransformMasks.Mask3);
        distMat.GetArray(out float[] distance);

        var m = Cv2.Moments(canvasMat, true);
        var hu = m.HuMoments().Select(h => -Math.Sign(h) * Math.Log10(Math.Abs(h) + 1e-30)).ToArray();

        KeyPoint[] kps = [];
        var desc = new Mat();
        if (keypoints)
            using (var orb = ORB.Create(300, 1.2f, 4, 15, 0, 2, ORBScoreType.Harris, 15, 10))
                orb.DetectAndCompute(smoothMat, null, out kps, desc);

        return new SignatureDescriptor
        {
            Hog = hog,
            Lbp = Lbp(smooth),
            RowProfile = Smooth1D(rows, 4),
            ColProfile = Smooth1D(cols, 4),
            Zoning = zoning,
            Hu = hu,
            Skeleton = [.. skeleton],
            Distance = distance,
            Keypoints = kps,
            Descriptors = desc,
            Aspect = aspect,
            Slant = slant,
            Density = density,
        };
    }

    /// <summary>Compares two prepared signatures: the second is first registered onto the first (the scale in x and y
    /// and the shift that maximise the normalised correlation of the blurred canvases, searched at half size), then
    /// described again; <paramref name="da"/> is the first's description when the caller keeps it.</summary>
    public static double[] Compare(PreparedSignature a, PreparedSignature b, SignatureDescriptor? da = null, SignatureDescriptor? db0 = null)
    {
        if (a.Canvas is null || b.Canvas is null) throw new ArgumentException("an empty signature has no features");
        var own = da is null;
        var ownB = db0 is null;
        da ??= Describe(a);
        db0 ??= Describe(b);
        try
        {
            var (ncc, transform) = Align(a.Canvas, b.Canvas);
            using var warped = new Mat();
            using (transform)
                Cv2.WarpAffine(b.Canvas, warped, transform, b.Canvas.Size(), InterpolationFlags.Linear);
            Cv2.Threshold(warped, warped, 100, 255, ThresholdTypes.Binary);
            using var db = Describe(warped, b.Aspect, b.Slant, b.Density, keypoints: false);
            var s = Compare(da, db);
            s[9] = Keypoints(da, db0);
            s[10] = Math.Clamp(ncc, 0, 1);
            return s;
        }
        finally
        {
            if (own) da.Dispose();
            if (ownB) db0.Dispose();
        }
    }

    private static readonly double[] ScalesX = [0.84, 0.92, 1.08, 1.16], ScalesY = [0.88, 1.12], ShearsY = [-0.12, -0.06, 0.06, 0.12];

    /// <summary>Coordinate search, one parameter at a time from the identity: x scale, y scale, vertical shear (what a
    /// small rotation leaves after deslanting a wide signature), each with the best shift by template matching.</summary>
    private static (double Ncc, Mat Transform) Align(Mat a, Mat b)
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
            using var t = Affine(sx, sy, sh, sb.Width / 2.0, sb.Height / 2.0, 0, 0);
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

    /// <summary>Scaling by (sx, sy) and vertical shear sh (y += sh·x) about (cx, cy), then a shift.</summary>
    private static Mat Affine(double sx, double sy, double sh, double cx, double cy, double dx, double dy)
    {
        var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, sx); m.Set(0, 1, 0.0); m.Set(0, 2, cx - sx * cx + dx);
        m.Set(1, 0, sh * sy); m.Set(1, 1, sy); m.Set(1, 2, cy - sy * cy - sh * sy * cx + dy);
        return m;
    }

    private static double[] Compare(SignatureDescriptor a, SignatureDescriptor b)
    {
        var s = new double[Names.Length];
        s[0] = Cosine(a.Hog, b.Hog);
        s[1] = LbpSimilarity(a.Lbp, b.Lbp);
        s[2] = (Pos(Pearson(a.RowProfile, b.RowProfile)) + Pos(Pearson(a.ColProfile, b.ColProfile))) / 2;
        s[3] = Pos(Pearson(a.Zoning, b.Zoning));
        s[4] = Math.Exp(-(Chamfer(a.Skeleton, b.Distance) + Chamfer(b.Skeleton, a.Distance)) / 2 / 6.0);
        s[5] = Math.Exp(-a.Hu.Zip(b.Hu).Take(4).Sum(t => Math.Abs(t.First - t.Second)) / 2);
        s[6] = Math.Min(a.Aspect, b.Aspect) / Math.Max(a.Aspect, b.Aspect);
        s[7] = Math.Exp(-Math.Abs(a.Slant - b.Slant) / 0.25);
        s[8] = Math.Min(a.Density, b.Density) / Math.Max(a.Density, b.Density);
        for (var i = 0; i < s.Length; i++) s[i] = double.IsFinite(s[i]) ? Math.Clamp(s[i], 0, 1) : 0;
        return s;
    }

    private static double Pos(double r) => Math.Max(0, r);

    private static double Cosine(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return aa > 0 && bb > 0 ? ab / Math.Sqrt(aa * bb) : 0;
    }

    private static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var da = a[i] - ma; var db = b[i] - mb;
            ab += da * db; aa += da * da; bb += db * db;
        }
        return aa > 0 && bb > 0 ? ab / Math.Sqrt(aa * bb) : 0;
    }

    private static double[] Smooth1D(double[] v, int radius)
    {
        var o = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            double s = 0; var n = 0;
            for (var j = Math.Max(0, i - radius); j <= Math.Min(v.Length - 1, i + radius); j++) { s += v[j]; n++; }
            o[i] = s / n;
        }
        return o;
    }

    /// <summary>Mean distance from a sample of one skeleton's pixels to the other's nearest ink (canvas pixels).</summary>
    private static double Chamfer(Point[] points, float[] distance)
    {
        if (points.Length == 0) return W;
        double sum = 0;
        foreach (var p in points) sum += Math.Min(distance[p.Y * W + p.X], 30f);
        return sum / points.Length;
    }

    /// <summary>Uniform LBP (8 neighbours, radius 1; 58 uniform codes + 1 for the rest) of the smoothed canvas, one
    /// histogram per zone, counting only pixels on or near a stroke.</summary>
    private static double[][] Lbp(byte[] img)
    {
        var hist = new double[LbpCols * LbpRows][];
        for (var i = 0; i < hist.Length; i++) hist[i] = new double[59];
        int[] dx = [-1, 0, 1, 1, 1, 0, -1, -1], dy = [-1, -1, -1, 0, 1, 1, 1, 0];
        for (var y = 1; y < H - 1; y++)
            for (var x = 1; x < W - 1; x++)
            {
                var c = img[y * W + x];
                if (c < 8) continue;
                var code = 0;
                for (var k = 0; k < 8; k++)
                    if (img[(y + dy[k]) * W + x + dx[k]] >= c) code |= 1 << k;
                hist[y * LbpRows / H * LbpCols + x * LbpCols / W][UniformIndex[code]]++;
            }
        foreach (var h in hist)
        {
            var total = h.Sum();
            if (total > 0) for (var i = 0; i < h.Length; i++) h[i] /= total;
        }
        return hist;
    }

    private static double LbpSimilarity(double[][] a, double[][] b)
    {
        double sim = 0;
        for (var z = 0; z < a.Length; z++)
        {
            double chi = 0;
            for (var i = 0; i < a[z].Length; i++)
            {
                var s = a[z][i] + b[z][i];
                if (s > 0) chi += (a[z][i] - b[z][i]) * (a[z][i] - b[z][i]) / s;
            }
            sim += 1 - chi / 2;
        }
        return sim / a.Length;
    }

    private static byte[] BuildUniform()
    {
        var map = new byte[256];
        byte next = 0;
        for (var code = 0; code < 256; code++)
        {
            var transitions = 0;
            for (var k = 0; k < 8; k++)
                if (((code >> k) & 1) != ((code >> ((k + 1) % 8)) & 1)) transitions++;
            map[code] = transitions <= 2 ? next++ : (byte)58;
        }
        return map;
    }

    /// <summary>ORB matches that pass Lowe's ratio test (0.8) and agree on one similarity transform (RANSAC, 6 px),
    /// over the smaller keypoint count; saturates at half the keypoints matched.</summary>
    private static double Keypoints(SignatureDescriptor a, SignatureDescriptor b)
    {
        if (a.Keypoints.Length < 4 || b.Keypoints.Length < 4 || a.Descriptors.Empty() || b.Descriptors.Empty()) return 0;
        using var matcher = new BFMatcher(NormTypes.Hamming);
        var knn = matcher.KnnMatch(a.Descriptors, b.Descriptors, 2);
        var good = knn.Where(m => m.Length == 2 && m[0].Distance < 0.8 * m[1].Distance).Select(m => m[0]).ToList();
        if (good.Count < 3) return 0;
        var src = good.Select(m => a.Keypoints[m.QueryIdx].Pt).Select(p => new Point2d(p.X, p.Y));
        var dst = good.Select(m => b.Keypoints[m.TrainIdx].Pt).Select(p => new Point2d(p.X, p.Y));
        using var srcMat = InputArray.Create(src.ToArray());
        using var dstMat = InputArray.Create(dst.ToArray());
        using var inliers = new Mat();
        using var t = Cv2.EstimateAffinePartial2D(srcMat, dstMat, inliers, RobustEstimationAlgorithms.RANSAC, 6);
        var count = inliers.Empty() ? 0 : Cv2.CountNonZero(inliers);
        return Math.Min(1, count / (0.5 * Math.Min(a.Keypoints.Length, b.Keypoints.Length)));
    }
}
