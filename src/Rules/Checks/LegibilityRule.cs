using System.Globalization;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns ILLEGIBLE: every page the decision needs (the form's, each side of the judged document) meets the thresholds, and
/// every value another rule needs was read at or above <see cref="Thresholds.MinFieldConfidence"/> — so when identity,
/// expiry or document_data are uncertain for want of a value, this rule says which page and region, and why.
/// A page measure below its threshold fails; a value that was not read, or read unreliably, is uncertain.
/// </summary>
public sealed class LegibilityRule : IRule
{
    public string Name => RuleNames.Legibility;

    /// <summary>Why a page is not legible, one sentence per measure below its threshold (empty when legible).</summary>
    public static IReadOnlyList<string> Problems(PageLegibility page, Thresholds t)
    {
        var problems = new List<string>();
        if (page.EffectiveDpi < t.MinEffectiveDpi) problems.Add($"effective resolution {N(page.EffectiveDpi)} dpi < {N(t.MinEffectiveDpi)}");
        if (page.XHeightPx is { } x && x < t.MinXHeightPx) problems.Add($"x-height {N(x)} px < {N(t.MinXHeightPx)}");
        if (page.BlurVariance < t.MinBlurVariance) problems.Add($"blurred: variance of the Laplacian {N(page.BlurVariance)} < {N(t.MinBlurVariance)}");
        if (page.Contrast < t.MinContrast) problems.Add($"contrast {N(page.Contrast)} < {N(t.MinContrast)}");
        if (page.OcrMeanConfidence is { } c && c < t.MinOcrMeanConfidence) problems.Add($"OCR mean confidence {N(c)} < {N(t.MinOcrMeanConfidence)}");
        return problems;
    }

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var t = context.Thresholds;
        var doc = Submission.PrimaryDocument(facts, context);

        var needed = new SortedDictionary<int, string>();
        if (facts.Form.Found && facts.Form.Page is { } fp) needed[fp] = "form";
        if (doc is not null)
            foreach (var s in doc.Sides) needed.TryAdd(s.Page, $"{Codes.Of(doc.Kind)} {Codes.Of(s.Side)}");
        // While the form or a document side is missing, a page the reader could not place may be it: it is needed too.
        var wanting = !facts.Form.Found || doc is null || (CompletenessRule.IsTwoSided(doc.Kind) && doc.Sides.Select(x => x.Side).Distinct().Count() < 2);
        if (wanting)
        {
            var placed = new HashSet<int>(facts.Documents.SelectMany(d => d.Sides.Select(x => x.Page)));
            if (facts.Form.Page is { } formPage) placed.Add(formPage);
            foreach (var p in facts.Pages.Where(p => !placed.Contains(p.Page))) needed.TryAdd(p.Page, "unrecognised (could be what is missing)");
        }

        var pageFailures = false;
        var doubts = false;
        var pages = new List<PageCheck>();
        foreach (var (number, role) in needed)
        {
            var page = facts.Pages.FirstOrDefault(p => p.Page == number);
            if (page is null)
            {
                doubts = true;
                pages.Add(new PageCheck(number, role, null, null, null, null, null, ["no legibility measures for this page"]));
                continue;
            }
            var problems = Problems(page, t);
            pageFailures |= problems.Count > 0;
            pages.Add(new PageCheck(number, role, page.EffectiveDpi, page.XHeightPx, page.BlurVariance, page.Contrast, page.OcrMeanConfidence, problems));
        }

        var regions = new List<RegionDoubt>();
        foreach (var need in NeededValues(facts, doc, context))
        {
            if (need.Claims.Any(c => c.Reliable(context))) continue;
            doubts = true;
            var best = need.Claims.OrderByDescending(c => c.Confidence).FirstOrDefault();
            regions.Add(new RegionDoubt(need.On, best?.Source?.Region ?? need.Region, best?.Source?.Page ?? need.Page, best?.Confidence));
        }
        var evidence = new LegibilityEvidence(pages, regions, new LegibilityThresholds(t.MinEffectiveDpi, t.MinXHeightPx, t.MinBlurVariance,
            t.MinContrast, t.MinOcrMeanConfidence, t.MinFieldConfidence));

        if (pageFailures) return new RuleResult(Name, Verdict.Fail, 1.0, [ReasonCodes.Illegible], evidence);
        if (doubts) return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.Illegible], evidence);
        return Result.Pass(Name, 1.0, evidence);
    }

    private sealed record Need(string On, string Region, int? Page, IReadOnlyList<Claim> Claims);

    /// <summary>
    /// The values identity, expiry and document_data cannot do without (each says "uncertain, no code" without them). Form
    /// values are needed only where the request declared nothing, and the form's codice fiscale only when no verified QR ties
    /// the form to the request. A document value is satisfied by its MRZ field (check digit holding) or the printed one.
    /// </summary>
    private static IEnumerable<Need> NeededValues(SubmissionFacts facts, IdDocumentFacts? doc, RuleContext ctx)
    {
        var d = facts.Declared;
        var f = facts.Form.Fields;
        if (facts.Form.Found)
        {
            var page = facts.Form.Page;
            if (facts.Form.Qr is not { Verified: true })
                yield return FormNeed("codice_fiscale", Claim.From(Submission.Form, f.CodiceFiscale, v => v));
            if (string.IsNullOrWhiteSpace(d.Surname)) yield return FormNeed("surname", Claim.From(Submission.Form, f.Surname, v => v));
            if (string.IsNullOrWhiteSpace(d.GivenNames)) yield return FormNeed("given_names", Claim.From(Submission.Form, f.GivenNames, v => v));
            if (d.Document is null) yield return FormNeed("document_type", Claim.From(Submission.Form, f.DocumentType, Codes.Of));
            if (string.IsNullOrWhiteSpace(d.Document?.Number)) yield return FormNeed("document_number", Claim.From(Submission.Form, f.DocumentNumber, v => v));
            if (d.Document?.ExpiryDate is null) yield return FormNeed("document_expiry_date", Claim.From(Submission.Form, f.DocumentExpiry, Codes.Iso));

            Need FormNeed(string region, Claim? c) => new("form", region, page, c is null ? [] : [c]);
        }
        if (doc is not null)
        {
            var page = doc.Sides.FirstOrDefault()?.Page;
            yield return DocNeed("surname", Submission.Surname(doc));
            yield return DocNeed("given_names", Submission.GivenNames(doc));
            yield return DocNeed("birth_date", Submission.BirthDate(doc));
            yield return DocNeed("document_number", Submission.Number(doc));
            yield return DocNeed("expiry_date", Submission.Expiry(doc));

            Need DocNeed(string region, IEnumerable<Claim?> claims) => new(Codes.Of(doc.Kind), region, page, claims.OfType<Claim>().ToList());
        }
    }

    private static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
