using System.Diagnostics;
using System.Text.Json;
using OpenCvSharp;
using VerifyPipeline.Rules;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Signatures;

namespace VerifyPipeline.Cli;

/// <summary>One scored pair of a calibration set: kind is genuine, random_forgery or skilled_forgery; <paramref name="Writers"/>
/// names the writers of the two signatures ("001-003" for SSBI; the writer's index in the set for synthetic pairs), so a
/// set can be split by writer (tuned on some, reported on the others).</summary>
public sealed record ScoredPair(string Set, string Kind, double[] SubScores, double Score, double Ms, string Writers = "");

/// <summary>Error rates of one set at the band: fractions of each kind that pass, are uncertain, fail.</summary>
public sealed record BandRates(int Count, double Pass, double Uncertain, double Fail);

/// <param name="AtEdges">By signature policy (compatible, strict), the rates of each kind of pair.</param>
/// <param name="HighestCrossWriter">The highest score of a pair of two different persons' own signatures (random forgery).</param>
/// <param name="SkilledPassingCompatible">Skilled forgeries at or above the compatible edge (counted, never hidden).</param>
public sealed record SetReport(
    string Set, int Pairs, double? EerRandom, double? EerSkilled, double? EerAllForgeries,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, BandRates>> AtEdges, double? HighestCrossWriter,
    int SkilledPassingCompatible, double MeanMsPerPair);

/// <summary>
/// The calibration of docs/signatures.md: synthetic pairs drawn with the corpus's hands at each capture resolution
/// (reference = the CIE's signature, query = the form's: genuine, random forgery = another person's own signature,
/// skilled forgery = another person tracing the holder's), and the real SSBI sheets segmented by their COCO boxes
/// (genuine vs genuine of the same writer, vs skilled forgeries of that writer, vs genuine of the other writers).
/// </summary>
public static class SignatureCalibration
{
    public const string Genuine = "genuine", Random = "random_forgery", Skilled = "skilled_forgery";

    /// <summary>The hand families: the corpus's own (<see cref="SignatureHand"/>, the one the fusion was fitted on) and the
    /// second family written for the calibration (<see cref="OscillatorHand"/>, another stroke model).</summary>
    public const string Generator = "generator", SecondFamily = "second_family";

    public static List<ScoredPair> Synthetic(int writers, CaptureResolution res, int seed, string family = Generator, string? setName = null)
    {
        var rng = new System.Random(seed);
        var hands = Enumerable.Range(0, writers).Select(_ => rng.Next())
            .Select(s => family == SecondFamily ? (ISignatureHand)OscillatorHand.FromSeed(s) : SignatureHand.FromSeed(s)).ToList();
        var set = setName ?? res.Name;
        var pairs = new List<ScoredPair>();
        for (var w = 0; w < writers; w++)
        {
            int s1 = rng.Next(), s2 = rng.Next(), s3 = rng.Next(), s4 = rng.Next(), c = rng.Next();
            using var referenceImage = SyntheticSignatures.Card(hands[w], SignatureKind.Genuine, s1, res, c);
            using var reference = SignaturePreprocessor.Prepare(referenceImage);
            var other = hands[(w + 1 + rng.Next(writers - 1)) % writers];
            var queries = new (string Kind, Mat Image)[]
            {
                (Genuine, SyntheticSignatures.Form(hands[w], SignatureKind.Genuine, s2, res, c + 1)),
                (Random, SyntheticSignatures.Form(other, SignatureKind.Genuine, s3, res, c + 2)),
                (Skilled, SyntheticSignatures.Form(hands[w], SignatureKind.SkilledForgery, s4, res, c + 3)),
            };
            var dump = Environment.GetEnvironmentVariable("SIGNATURE_DUMP");
            if (dump is not null && w < (int.TryParse(Environment.GetEnvironmentVariable("SIGNATURE_DUMP_N"), out var dn) ? dn : 4))
            {
                Directory.CreateDirectory(dump);
                Cv2.ImWrite(Path.Combine(dump, $"{res.Name}_{w}_ref.png"), referenceImage);
                if (reference.Canvas is not null) Cv2.ImWrite(Path.Combine(dump, $"{res.Name}_{w}_ref_canvas.png"), reference.Canvas);
                foreach (var (kind, image) in queries)
                {
                    Cv2.ImWrite(Path.Combine(dump, $"{res.Name}_{w}_{kind}.png"), image);
                    using var pq = SignaturePreprocessor.Prepare(image);
                    if (pq.Canvas is not null) Cv2.ImWrite(Path.Combine(dump, $"{res.Name}_{w}_{kind}_canvas.png"), pq.Canvas);
                }
            }
            foreach (var (kind, image) in queries)
            {
                using (image)
                    pairs.Add(Score(set, kind, reference, image) with { Writers = w.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }
        return pairs;
    }

    private static ScoredPair Score(string set, string kind, PreparedSignature reference, Mat query)
    {
        var sw = Stopwatch.StartNew();
        using var q = SignaturePreprocessor.Prepare(query);
        return Score(set, kind, reference, q, sw);
    }

    private static ScoredPair Score(string set, string kind, PreparedSignature a, PreparedSignature b, Stopwatch sw)
    {
        if (a.Empty || b.Empty) return new ScoredPair(set, kind, new double[SignatureFeatures.Names.Length], 0, sw.Elapsed.TotalMilliseconds);
        var sub = SignatureFeatures.Compare(a, b);
        return new ScoredPair(set, kind, sub, SignatureComparer.Fuse(sub), sw.Elapsed.TotalMilliseconds);
    }

    /// <summary>The SSBI signatures of the local sheets, by writer: (writer, forged, crop).</summary>
    public static List<(string Writer, bool Forged, Mat Crop)> SsbiCrops(string dir)
    {
        var crops = new List<(string, bool, Mat)>();
        foreach (var (prefix, labels) in new[] { ("ssbi__genuine_", "ssbi__genuine_labels.coco.json"), ("ssbi__forged_", "ssbi__forged_labels.coco.json") })
        {
            var labelPath = Path.Combine(dir, labels);
            if (!File.Exists(labelPath)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(labelPath));
            var root = doc.RootElement;
            var signatureCategories = root.GetProperty("categories").EnumerateArray()
                .Where(c => c.GetProperty("name").GetString()!.StartsWith("signature", StringComparison.Ordinal))
                .Select(c => c.GetProperty("id").GetInt32()).ToHashSet();
            var images = root.GetProperty("images").EnumerateArray()
                .ToDictionary(i => i.GetProperty("id").GetInt32(), i => i.GetProperty("file_name").GetString()!);
            var byImage = root.GetProperty("annotations").EnumerateArray()
                .Where(a => signatureCategories.Contains(a.GetProperty("category_id").GetInt32()))
                .GroupBy(a => a.GetProperty("image_id").GetInt32());
            foreach (var g in byImage)
            {
                var local = Path.Combine(dir, prefix + images[g.Key]);
                if (!File.Exists(local)) continue;
                using var sheet = Cv2.ImRead(local, ImreadModes.Grayscale);
                var writer = images[g.Key][..3];
                foreach (var a in g.OrderBy(a => a.GetProperty("id").GetInt32()))
                {
                    var b = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    const int margin = 12;
                    var x = Math.Max(0, (int)b[0] - margin);
                    var y = Math.Max(0, (int)b[1] - margin);
                    var r = new Rect(x, y, Math.Min(sheet.Width - x, (int)b[2] + 2 * margin), Math.Min(sheet.Height - y, (int)b[3] + 2 * margin));
                    crops.Add((writer, prefix.Contains("forged"), new Mat(sheet, r).Clone()));
                }
            }
        }
        return crops;
    }

    public static List<ScoredPair> Ssbi(string dir)
    {
        var crops = SsbiCrops(dir);
        var prepared = crops.Select(c => (c.Writer, c.Forged, P: SignaturePreprocessor.Prepare(c.Crop))).ToList();
        if (Environment.GetEnvironmentVariable("SIGNATURE_DUMP") is { } dump)
        {
            Directory.CreateDirectory(dump);
            for (var k = 0; k < crops.Count; k++)
            {
                var name = $"ssbi_{crops[k].Writer}_{(crops[k].Forged ? "f" : "g")}{k:000}";
                Cv2.ImWrite(Path.Combine(dump, name + ".png"), crops[k].Crop);
                if (prepared[k].P.Canvas is { } canvas) Cv2.ImWrite(Path.Combine(dump, name + "_canvas.png"), canvas);
            }
        }
        foreach (var c in crops) c.Crop.Dispose();
        var described = prepared.Select(p => p.P.Empty ? null : SignatureFeatures.Describe(p.P)).ToList();
        var pairs = new List<ScoredPair>();
        for (var i = 0; i < prepared.Count; i++)
        {
            if (prepared[i].Forged) continue;
            for (var j = 0; j < prepared.Count; j++)
            {
                if (i == j) continue;
                var (wi, wj) = (prepared[i].Writer, prepared[j].Writer);
                string kind;
                if (prepared[j].Forged) { if (wj != wi) continue; kind = Skilled; }
                else if (wj == wi) { if (j < i) continue; kind = Genuine; }
                else { if (j < i) continue; kind = Random; }
                var sw = Stopwatch.StartNew();
                var writers = $"{wi}-{wj}";
                if (described[i] is null || described[j] is null) { pairs.Add(new ScoredPair("ssbi", kind, new double[SignatureFeatures.Names.Length], 0, 0, writers)); continue; }
                var sub = SignatureFeatures.Compare(prepared[i].P, prepared[j].P, described[i], described[j]);
                pairs.Add(new ScoredPair("ssbi", kind, sub, SignatureComparer.Fuse(sub), sw.Elapsed.TotalMilliseconds, writers));
            }
        }
        foreach (var p in prepared) p.P.Dispose();
        return pairs;
    }

    /// <summary>Equal error rate: the threshold where the share of genuine below it equals the share of forgeries at or above it.</summary>
    public static double? Eer(IReadOnlyList<double> genuine, IReadOnlyList<double> forgeries)
    {
        if (genuine.Count == 0 || forgeries.Count == 0) return null;
        var best = double.MaxValue;
        double eer = 1;
        foreach (var t in genuine.Concat(forgeries).Append(1.0001).Distinct().Order())
        {
            var frr = genuine.Count(g => g < t) / (double)genuine.Count;
            var far = forgeries.Count(f => f >= t) / (double)forgeries.Count;
            if (Math.Abs(frr - far) < best) { best = Math.Abs(frr - far); eer = (frr + far) / 2; }
        }
        return eer;
    }

    public static SetReport Report(string set, IReadOnlyList<ScoredPair> pairs, Thresholds t)
    {
        double[] Of(string kind) => [.. pairs.Where(p => p.Kind == kind).Select(p => p.Score)];
        var g = Of(Genuine);
        var r = Of(Random);
        var s = Of(Skilled);
        var edges = new Dictionary<string, IReadOnlyDictionary<string, BandRates>>();
        foreach (var mode in new[] { SignatureMode.Compatible, SignatureMode.Strict })
        {
            var pass = t.SignaturePassFor(mode);
            var rates = new Dictionary<string, BandRates>();
            foreach (var (kind, scores) in new[] { (Genuine, g), (Random, r), (Skilled, s) })
            {
                if (scores.Length == 0) continue;
                double n = scores.Length;
                rates[kind] = new BandRates(scores.Length, Round(scores.Count(x => x >= pass) / n),
                    Round(scores.Count(x => x >= t.SignatureFail && x < pass) / n), Round(scores.Count(x => x < t.SignatureFail) / n));
            }
            edges[Codes.Of(mode)] = rates;
        }
        return new SetReport(set, pairs.Count, Round(Eer(g, r)), Round(Eer(g, s)), Round(Eer(g, [.. r, .. s])), edges,
            r.Length > 0 ? Round(r.Max()) : null, s.Count(x => x >= t.SignatureCompatiblePass), Math.Round(pairs.Average(p => p.Ms), 2));
    }

    /// <summary>The compatible edge the held-out cross-writer pairs call for: the highest of them, as a linear (logit)
    /// score, plus <paramref name="marginLogit"/>, back on the score's scale.</summary>
    public static double RequiredCompatibleEdge(IEnumerable<double> crossWriterScores, double marginLogit)
    {
        var highest = crossWriterScores.DefaultIfEmpty(0).Max();
        var logit = Math.Log(Math.Clamp(highest, 1e-9, 1 - 1e-9) / (1 - Math.Clamp(highest, 1e-9, 1 - 1e-9)));
        return 1 / (1 + Math.Exp(-(logit + marginLogit)));
    }

    private static double? Round(double? v) => v is null ? null : Math.Round(v.Value, 4);

    private static double Round(double v) => Math.Round(v, 4);

    /// <summary>Fits the logistic fusion on genuine (1) against forgeries (0): genuine pairs weigh half the total, random
    /// and skilled forgeries a quarter each (the skilled ones are the hard cases the pass edge is set by); gradient
    /// descent with momentum and a light L2 penalty, from zero.</summary>
    public static (double[] Weights, double Bias) Fit(IReadOnlyList<ScoredPair> pairs, int iterations = 3000)
    {
        var usable = pairs.Where(p => p.SubScores.Any(v => v > 0)).ToList();
        var d = SignatureFeatures.Names.Length;
        var w = new double[d];
        var vw = new double[d];
        double b = 0, vb = 0;
        var nGen = usable.Count(p => p.Kind == Genuine);
        var nRand = usable.Count(p => p.Kind == Random);
        var nSkill = usable.Count(p => p.Kind == Skilled);
        double Weight(ScoredPair p) => p.Kind switch
        {
            Genuine => 0.5 / Math.Max(1, nGen),
            Random => (nSkill > 0 ? 0.25 : 0.5) / Math.Max(1, nRand),
            _ => 0.25 / Math.Max(1, nSkill),
        };
        var sampleWeights = usable.Select(Weight).ToArray();
        const double lr = 3.0, l2 = 1e-4, momentum = 0.9;
        for (var it = 0; it < iterations; it++)
        {
            var gw = new double[d];
            double gb = 0;
            for (var k = 0; k < usable.Count; k++)
            {
                var x = usable[k].SubScores;
                var z = b;
                for (var i = 0; i < d; i++) z += w[i] * x[i];
                var err = (1 / (1 + Math.Exp(-Math.Clamp(z, -30, 30))) - (usable[k].Kind == Genuine ? 1 : 0)) * sampleWeights[k];
                for (var i = 0; i < d; i++) gw[i] += err * x[i];
                gb += err;
            }
            for (var i = 0; i < d; i++) { vw[i] = momentum * vw[i] + gw[i] + l2 * w[i]; w[i] -= lr * vw[i]; }
            vb = momentum * vb + gb;
            b -= lr * vb;
        }
        return ([.. w.Select(v => Math.Round(v, 3))], Math.Round(b, 3));
    }
}
