using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using VerifyPipeline.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Worker.Reading.Documents;
using VerifyPipeline.Worker.Reading.Form;
using VerifyPipeline.Worker.Reading.Ocr;
using VerifyPipeline.Worker.Signatures;

namespace VerifyPipeline.Worker.Reading;

/// <summary>One page to read: its bytes as the Pages stage stored them (JPEG/PNG) and the resolution they declare.</summary>
public sealed record PageInput(int Number, string Source, byte[] Bytes, double DpiX, double DpiY);

/// <summary>
/// Page by page: square pixels; the form by its QR (then its signature box); the document sides by the specimens
/// (<see cref="CardLocator"/>) and their fields, MRZ and signature (<see cref="CardReader"/>); legibility of what was
/// found. Then the facts: one form, the documents with their sides joined by kind, the two signatures compared.
/// </summary>
public static class SubmissionReader
{
    /// <summary>Print outside the sides found on a sheet above which the sheet is not fully explained: a missed card side
    /// leaves ≈ 500–1500 mm² of print, scanner and fax noise under 50.</summary>
    public const double UnplacedPrintMm2 = 150;

    /// <summary>OpenCV's own worker threads off: a worker already runs one reading per core, and on small images the
    /// thread hand-offs cost more CPU than they save (measured on the 3-page bench: 0.99 → 0.89 s CPU, same wall time).</summary>
    private static readonly Lazy<bool> SingleThreadedOpenCv = new(() => { Cv2.SetNumThreads(1); return true; });

    public static SubmissionRead Read(IEnumerable<PageInput> pages, string hmacKey, OcrEnginePool pool, DateOnly asOf, CancellationToken ct = default)
    {
        _ = SingleThreadedOpenCv.Value;
        var timings = new Dictionary<string, long> { ["decode"] = 0, ["form"] = 0, ["locate"] = 0, ["text"] = 0, ["fields"] = 0, ["signature"] = 0 };
        var sw = new Stopwatch();
        void Time(string key) { timings[key] += sw.ElapsedMilliseconds; sw.Restart(); }

        var forms = new List<FormRead>();
        var sides = new List<SideRead>();
        var pageReads = new List<PageRead>();
        var legibility = new List<PageLegibility>();
        var unplacedPages = new List<int>();
        using var lease = pool.Rent(ct);
        var ocr = lease.Engine;
        try
        {
            var pageInputs = new List<PageInput>();
            foreach (var p in pages)
            {
                pageInputs.Add(p);
                ct.ThrowIfCancellationRequested();
                try { ReadPage(p); }
                catch (OpenCVException e)
                {
                    // A page OpenCV cannot process is an unreadable page, not a failed case.
                    var nothing = new PageLegibility(p.Number, 0, null, 0, 0, null);
                    legibility.RemoveAll(l => l.Page == p.Number);
                    pageReads.RemoveAll(r => r.Page == p.Number);
                    legibility.Add(nothing);
                    pageReads.Add(new PageRead(p.Number, p.Source, "unreadable", 1, [$"the page could not be processed ({e.Message})"], nothing, 0));
                }
            }

            void ReadPage(PageInput p)
            {
                var pageWatch = Stopwatch.StartNew();
                sw.Restart();
                using var decoded = Cv2.ImDecode(p.Bytes, ImreadModes.Grayscale);
                if (decoded.Empty())
                {
                    var nothing = new PageLegibility(p.Number, 0, null, 0, 0, null);
                    legibility.Add(nothing);
                    pageReads.Add(new PageRead(p.Number, p.Source, "unreadable", 1, ["the page image could not be decoded"], nothing, 0));
                    return;
                }
                using var grey = FormQrReader.SquarePixels(decoded, p.DpiX, p.DpiY);
                var bilevel = IsBilevel(grey);
                var dpi = EffectiveDpi(grey, p);
                Time("decode");

                var photo = !CardLocator.IsSheet(grey, p.DpiX);
                var form = FormPageReader.Read(grey, p.Number, hmacKey, ocr, quick: true, photo: photo);
                Time("form");
                List<LocatedSide> located = [];
                var thoroughTried = false;
                double? layoutScore = null;
                double FormLayoutScore() => layoutScore ??= FormByLayout.Score(grey, photo, bilevel);
                var sheetPxPerMm = photo ? 0 : SheetPxPerMm(grey, p);
                if (form is null)
                {
                    located = CardLocator.Locate(grey, bilevel, p.DpiX, out var unplaced, SheetPxPerMm(grey, p), ct);
                    if (located.Count > 0 && unplaced > UnplacedPrintMm2) unplacedPages.Add(p.Number);
                    Time("locate");
                    // Nothing placed by the specimens, but the page has the form's layout (a cheap comparison at 1 px/mm;
                    // bills and document sides score under half the edge): the thorough QR search first, which decodes in
                    // ≈ 30 ms what the quick one missed (measured on the realistic corpus: a blurred or photographed form
                    // otherwise paid a full-page text read, ≈ 3.6 s, before the same search found its QR).
                    if (located.Count == 0 && FormLayoutScore() >= FormByLayout.MinScore)
                    {
                        form = FormPageReader.Read(grey, p.Number, hmacKey, ocr, quick: false, photo: photo);
                        thoroughTried = true;
                        Time("form");
                    }
                    if (located.Count == 0 && form is null)
                    {
                        // Nothing placed by the specimens: the page is read by what it prints (any layout) before anything
                        // else is concluded — a document drawn otherwise than our specimens must never make the file look
                        // empty. Only a page that is no document (or is our form by its title) gets the thorough QR search.
                        var text = TextDocumentReader.Read(grey, sheetPxPerMm, ocr, asOf, ct: ct);
                        Time("text");
                        if (text.Found)
                        {
                            // Found by its text, not placed: what else the page holds is not accounted for, so no absence
                            // drawn from this file is certain (a person looks before anything is rejected as missing).
                            unplacedPages.Add(p.Number);
                            AddTextSides(p, text, grey, bilevel, dpi, sheetPxPerMm, pageWatch);
                            return;
                        }
                        // A page of print read well that is not the form (a fax cover sheet, a bill: ≥ 40 words at a mean
                        // confidence ≥ 0.75, and not two of the form's title words — which a form read that well shows) has
                        // no QR of ours to search for (measured: 1.1–2.2 s for nothing on such pages).
                        var letter = text.Words >= 40 && text.MeanConfidence >= 0.75 && !text.IsForm;
                        if (!thoroughTried && !letter) form = FormPageReader.Read(grey, p.Number, hmacKey, ocr, quick: false, photo: photo);
                        Time("form");
                    }
                }
                // A form whose QR no attempt could decode is still the form: a page left unexplained would make the file
                // look as if it had none (FORM_MISSING), while the truth is a form that could not be read. Its page is
                // not accounted for, though: a document drawn otherwise than our specimens may be what matched.
                if (form is null && located.Count == 0)
                {
                    if (FormLayoutScore() >= FormByLayout.MinScore)
                    {
                        form = new FormRead(p.Number, new FormQrRead(p.Number, null, null, "no QR code could be decoded; the page has the form's layout"), null, null, 0, []);
                        unplacedPages.Add(p.Number);
                    }
                    Time("form");
                }
                if (form is not null)
                {
                    // The form's page explains itself only when the form covers it: a photo, or a sheet on which the form
                    // is printed smaller than the page (a collage of the form and the document), may hold a document too.
                    // Its MRZ, if any, is found wherever it is; the rest of the page is not accounted for.
                    var covers = !photo && form.PxPerMm > 0 && form.PxPerMm * 210 >= 0.85 * Math.Min(grey.Width, grey.Height);
                    if (!covers)
                    {
                        if (!unplacedPages.Contains(p.Number)) unplacedPages.Add(p.Number);
                        // The rest of the page (the form's sheet painted out) is read by its text: a collage of the form and
                        // the document, or both photographed on a table, is read as both.
                        // A photographed sheet on a bare table: nothing printed around it (under the unplaced-print edge,
                        // measured at the form's scale) has nothing to read (measured: 1.1–1.4 s for an empty read of the
                        // rest of a 14-megapixel photo). The page stays not accounted for either way.
                        var printAround = form.Outline is { } sheetOutline ? CardLocator.PrintOutside(grey, sheetOutline, form.PxPerMm) : double.MaxValue;
                        if (printAround >= UnplacedPrintMm2)
                        {
                            using var rest = grey.Clone();
                            if (form.Outline is { } outline)
                                Cv2.FillConvexPoly(rest, outline.Select(q => new Point((int)q.X, (int)q.Y)).ToArray(), Scalar.White);
                            var onForm = TextDocumentReader.Read(rest, form.Outline is null ? sheetPxPerMm : form.PxPerMm, ocr, asOf, mrzOnly: form.Outline is null, ct: ct);
                            if (onForm.Found) AddTextSides(p, onForm, null, bilevel, dpi, sheetPxPerMm, null);
                        }
                        Time("text");
                    }
                    forms.Add(form);
                    var (blur, contrast) = Legibility.Measure(grey, Math.Min(grey.Width, grey.Height) / 210.0);
                    if (bilevel) contrast = 1;
                    // A photographed form has no declared resolution: the QR's module size gives it.
                    var formDpi = dpi > 0 ? dpi : Math.Round(form.PxPerMm * 25.4);
                    var leg = new PageLegibility(p.Number, formDpi, null, blur, contrast, null);
                    legibility.Add(leg);
                    pageReads.Add(new PageRead(p.Number, p.Source, "form", form.Qr.Verified ? 1 : 0.9,
                        [form.Qr.Verified ? "form, QR verified" : $"form, QR not verified: {form.Qr.Error}"], leg, pageWatch.ElapsedMilliseconds));
                    return;
                }

                var found = new List<string>();
                double? worstBlur = null, worstContrast = null, minDpi = null, minText = null, minConf = null;
                var unconfirmed = new List<string>();
                foreach (var side in located)
                {
                    using (side)
                    {
                        var read = CardReader.Read(p.Number, side, ocr, asOf, ct);
                        if (!Confirmed(read)) unconfirmed.Add(read.Layout.Title);
                        sides.Add(read);
                        found.Add($"{read.Layout.Title} ({side.How}, match {side.Score:0.00})");
                        var (blur, contrast) = Legibility.Measure(side.Card, CardLocator.CardPxPerMm);
                        if (bilevel) contrast = 1; // black and white by construction: the fax machine chose the contrast
                        // The card was resampled to 12 px/mm: its sharpness is the capture's only up to the capture's own scale.
                        worstBlur = Math.Min(worstBlur ?? double.MaxValue, blur);
                        worstContrast = Math.Min(worstContrast ?? double.MaxValue, contrast);
                        var sideDpi = side.How.StartsWith("photo", StringComparison.Ordinal) ? side.SourcePxPerMm * 25.4 : dpi;
                        minDpi = Math.Min(minDpi ?? double.MaxValue, sideDpi);
                        if (read.TextHeightPx is { } th) minText = Math.Min(minText ?? double.MaxValue, th);
                        // The page's OCR confidence: the median over the fields the rules use and the MRZ (1 when valid as a whole).
                        var confs = read.Fields.Where(f => !NoRuleUses.Contains(f.Name)).Select(f => f.Confidence).ToList();
                        if (read.Mrz is { Found: true } mz) confs.Add(mz.Valid ? 1 : Math.Max(0, 1 - mz.MeanDistance));
                        if (confs.Count > 0) minConf = Math.Min(minConf ?? double.MaxValue, confs.Order().ElementAt(confs.Count / 2));
                    }
                }
                Time("fields");
                // A side matched by its layout alone, with nothing read on it that such a side prints, may be another
                // document drawn alike (measured: CIE sides of other layouts taken for a licence back or a health card).
                // The page is then read by its text too; what the text finds replaces the unconfirmed sides.
                // Print the specimens left unexplained beside the sides they placed (another side drawn otherwise, the
                // other face of the same card) is read by its text too: what it finds that is not already here is added.
                if (unconfirmed.Count == 0 && unplacedPages.Contains(p.Number))
                {
                    var text = TextDocumentReader.Read(grey, sheetPxPerMm, ocr, asOf, ct: ct);
                    Time("text");
                    var here = sides.Where(s => s.Page == p.Number).Select(s => (s.Layout.Kind ?? DocumentKind.Other, s.Layout.Side)).ToHashSet();
                    var extra = text with { Sides = text.Sides.Where(t => !here.Contains((t.Kind ?? DocumentKind.Other, t.Side))).ToList() };
                    if (extra.Found)
                    {
                        found.Add("also read by its text: " + string.Join(", ", extra.Sides.Select(t => $"{Rules.Codes.Of(t.Kind ?? DocumentKind.Unknown)} {Rules.Codes.Of(t.Side)}")));
                        AddTextSides(p, extra, null, bilevel, dpi, sheetPxPerMm, null);
                    }
                }
                if (unconfirmed.Count > 0)
                {
                    var text = TextDocumentReader.Read(grey, sheetPxPerMm, ocr, asOf, ct: ct);
                    Time("text");
                    var doubtful = sides.Where(s => s.Page == p.Number && !Confirmed(s)).ToList();
                    var confirmedByText = doubtful.All(s => text.Sides.Any(t => (t.Kind ?? DocumentKind.Other) == (s.Layout.Kind ?? DocumentKind.Other) && t.Side == s.Layout.Side));
                    found.Add($"{(confirmedByText ? "confirmed" : "not confirmed")} by what it prints: {string.Join(", ", unconfirmed)}");
                    if (!confirmedByText)
                    {
                        if (!unplacedPages.Contains(p.Number)) unplacedPages.Add(p.Number);
                        if (text.Found)
                        {
                            foreach (var s in doubtful) { sides.Remove(s); s.Dispose(); }
                            if (!sides.Any(s => s.Page == p.Number))
                            {
                                AddTextSides(p, text, grey, bilevel, dpi, sheetPxPerMm, pageWatch);
                                return;
                            }
                            AddTextSides(p, text, null, bilevel, dpi, sheetPxPerMm, null);
                        }
                    }
                    else if (text.Found)
                    {
                        // Confirmed as a kind and side, but the specimen's zones read nothing such a side prints: they lie
                        // on a layout that is not the specimen's (measured on an independently drawn CIE: its front
                        // matched at 0.42, every zone read a guilloche, and its signature box "empty" — a false
                        // ID_SIGNATURE_NOT_VISIBLE in waiting). The side is taken as its text read it: fields beside their
                        // labels, the signature beside its label.
                        foreach (var s in doubtful) { sides.Remove(s); s.Dispose(); }
                        var here = sides.Where(s => s.Page == p.Number).Select(s => (s.Layout.Kind ?? DocumentKind.Other, s.Layout.Side)).ToHashSet();
                        var replacing = text with { Sides = text.Sides.Where(t => !here.Contains((t.Kind ?? DocumentKind.Other, t.Side))).ToList() };
                        AddTextSides(p, replacing, null, bilevel, dpi, sheetPxPerMm, null);
                    }
                }
                PageLegibility pl;
                if (located.Count == 0)
                {
                    var (blur, contrast) = Legibility.Measure(grey, Math.Min(grey.Width, grey.Height) / 210.0);
                    pl = new PageLegibility(p.Number, dpi, null, blur, contrast, null);
                    found.Add("no form and no identity document recognised");
                }
                else pl = new PageLegibility(p.Number, Math.Round(minDpi!.Value), minText, worstBlur!.Value, worstContrast!.Value,
                    minConf is null ? null : Math.Round(minConf.Value, 3));
                legibility.Add(pl);
                pageReads.Add(new PageRead(p.Number, p.Source, located.Count == 0 ? "other" : string.Join(" + ", sides.Where(s => s.Page == p.Number).Select(s => Code(s.Layout))),
                    located.Count == 0 ? 0.5 : Math.Round(located.Min(s => s.Score), 3), found, pl, pageWatch.ElapsedMilliseconds));
            }

            // Sides found by their text: a side record without a specimen layout (no zones, no signature box), with every
            // field the page gave on its first side; the page's legibility is the page's own.
            void AddTextSides(PageInput p, TextRead text, Mat? grey, bool bilevel, double dpi, double sheetPxPerMm, Stopwatch? pageWatch)
            {
                var first = true;
                foreach (var t in text.Sides)
                {
                    var specimen = (t.Kind, t.Side) switch
                    {
                        (DocumentKind.Cie, DocumentSide.Front) => SpecimenKind.CieFront, (DocumentKind.Cie, _) => SpecimenKind.CieBack,
                        (DocumentKind.Passport, _) => SpecimenKind.PassportData,
                        (DocumentKind.DrivingLicence, DocumentSide.Front) => SpecimenKind.LicenceFront, (DocumentKind.DrivingLicence, _) => SpecimenKind.LicenceBack,
                        (DocumentKind.PaperId, DocumentSide.Front) => SpecimenKind.PaperIdInside, (DocumentKind.PaperId, _) => SpecimenKind.PaperIdOutside,
                        (DocumentKind.Other, DocumentSide.Front) => SpecimenKind.HealthFront, (DocumentKind.Other, _) => SpecimenKind.HealthBack,
                        (_, DocumentSide.Front) => SpecimenKind.IdentityFront, _ => SpecimenKind.IdentityBack,
                    };
                    var layout = new DocumentLayout(specimen, t.Kind == DocumentKind.Other ? null : t.Kind, t.Side, 0, 0, [], null, null,
                        $"{Rules.Codes.Of(t.Kind ?? DocumentKind.Unknown)} {Rules.Codes.Of(t.Side)} (read by its text)");
                    var withMrz = text.Mrz is not null && (t.Side == DocumentSide.Back || t.Kind == DocumentKind.Passport);
                    // The signature found beside its label goes with the side the holder signs (the side owns its copy).
                    var signed = ReferenceEquals(t, text.SignatureSide) ? text.Signature : null;
                    sides.Add(new SideRead(p.Number, layout, 1, "text: " + string.Join("; ", signed is null ? t.Evidence : [.. t.Evidence, signed.How]),
                        first ? text.Fields : [], withMrz ? text.Mrz : null, signed?.Ink, signed?.Crop.Clone(), sheetPxPerMm, null));
                    first = false;
                }
                if (grey is null) return;
                var (blur, contrast) = Legibility.Measure(grey, Math.Min(grey.Width, grey.Height) / 210.0);
                if (bilevel) contrast = 1;
                var confs = text.Fields.Where(f => !NoRuleUses.Contains(f.Name)).Select(f => f.Confidence).ToList();
                if (text.Mrz is { } m) confs.Add(m.Valid ? 1 : Math.Max(0, 1 - m.MeanDistance));
                var leg = new PageLegibility(p.Number, dpi, null, blur, contrast, confs.Count == 0 ? null : Math.Round(confs.Order().ElementAt(confs.Count / 2), 3));
                legibility.Add(leg);
                var mine = sides.Where(s => s.Page == p.Number).ToList();
                pageReads.Add(new PageRead(p.Number, p.Source, string.Join(" + ", mine.Select(s => Code(s.Layout))), 0.7,
                    mine.Select(s => $"{s.Layout.Title}: {s.How}").ToList(), leg, pageWatch?.ElapsedMilliseconds ?? 0));
            }

            // Before anything is concluded missing: when a two-sided document lacks a face, or no identity document was
            // found, every page its sides were placed on by the specimens alone is read by its text too (the missing face
            // may be there, drawn otherwise); what the text finds is added, and such a page is then not accounted for.
            var placedOnly = sides.Where(s => !s.How.StartsWith("text", StringComparison.Ordinal)).Select(s => s.Page).Distinct()
                .Where(page => !sides.Any(s => s.Page == page && s.How.StartsWith("text", StringComparison.Ordinal))).ToList();
            var incomplete = !sides.Any(s => s.Layout.IsIdentityDocument)
                || sides.Where(s => s.Layout.Kind is { } k && Rules.Checks.CompletenessRule.IsTwoSided(k)).GroupBy(s => s.Layout.Kind)
                    .Any(g => g.Select(s => s.Layout.Side).Distinct().Count() < 2);
            // A face missing is never certain from our specimens alone: they are drawings of our own generator, and a face
            // of another layout beside the one they placed may leave little "unplaced print" (measured on a held-out
            // licence family: its back beside the placed front left 43 mm², under the 150 mm² edge, and the valid file
            // was rejected ID_SIDE_MISSING). The pages of a two-sided document placed by the specimens alone are then not
            // accounted for: a person looks before the citizen is told a face is missing.
            var halfPlaced = sides.Where(s => s.Layout.Kind is { } k && Rules.Checks.CompletenessRule.IsTwoSided(k)).GroupBy(s => s.Layout.Kind)
                .Where(g => g.Select(s => s.Layout.Side).Distinct().Count() < 2).SelectMany(g => g.Select(s => s.Page)).Where(placedOnly.Contains).ToList();
            foreach (var page in halfPlaced)
                if (!unplacedPages.Contains(page)) unplacedPages.Add(page);
            if (incomplete)
                foreach (var page in placedOnly)
                {
                    var input = pageInputs.FirstOrDefault(x => x.Number == page);
                    if (input is null) continue;
                    using var decoded = Cv2.ImDecode(input.Bytes, ImreadModes.Grayscale);
                    if (decoded.Empty()) continue;
                    using var grey = FormQrReader.SquarePixels(decoded, input.DpiX, input.DpiY);
                    var photo = !CardLocator.IsSheet(grey, input.DpiX);
                    // A photo's surroundings are never measured (the table is not paper): with a face missing, what else
                    // a photo holds is not accounted for.
                    if (photo && !unplacedPages.Contains(page)) unplacedPages.Add(page);
                    var text = TextDocumentReader.Read(grey, photo ? 0 : SheetPxPerMm(grey, input), ocr, asOf, ct: ct);
                    var here = sides.Where(s => s.Page == page).Select(s => (s.Layout.Kind ?? DocumentKind.Other, s.Layout.Side)).ToHashSet();
                    var extra = text with { Sides = text.Sides.Where(t => !here.Contains((t.Kind ?? DocumentKind.Other, t.Side))).ToList() };
                    if (extra.Found)
                    {
                        if (!unplacedPages.Contains(page)) unplacedPages.Add(page);
                        AddTextSides(input, extra, null, IsBilevel(grey), EffectiveDpi(grey, input), photo ? 0 : SheetPxPerMm(grey, input), null);
                        var i = pageReads.FindIndex(r => r.Page == page);
                        if (i >= 0) pageReads[i] = pageReads[i] with
                        {
                            Classification = string.Join(" + ", sides.Where(s => s.Page == page).Select(s => Code(s.Layout))),
                            Found = [.. pageReads[i].Found, "also read by its text: " + string.Join(", ", extra.Sides.Select(t => $"{Rules.Codes.Of(t.Kind ?? DocumentKind.Unknown)} {Rules.Codes.Of(t.Side)}"))],
                        };
                    }
                }
            Time("text");

            sw.Restart();
            var formFacts = FormFactsOf(forms);
            var documents = DocumentsOf(sides, asOf);
            RecountOcrConfidence(legibility, pageReads, sides, documents);
            var signature = CompareSignatures(forms, sides);
            Time("signature");
            var reports = Reports(forms, formFacts, sides, documents);
            return new SubmissionRead(formFacts, documents, legibility, signature, pageReads, reports, timings, unplacedPages, CropsOf(forms, sides));
        }
        finally
        {
            foreach (var f in forms) f.Dispose();
            foreach (var s in sides) s.Dispose();
        }
    }

    /// <summary>The report's <c>documents</c> (DESIGN.md): each identity document, then the form, with the values the rules
    /// take (<see cref="DocumentReport.Of(IdDocumentFacts)"/>), its MRZ with every check digit, and each side as read.</summary>
    private static List<DocumentReport> Reports(List<FormRead> forms, FormFacts form, List<SideRead> sides, List<IdDocumentFacts> documents)
    {
        var list = new List<DocumentReport>();
        foreach (var d in documents)
        {
            var mine = sides.Where(s => (s.Layout.Kind ?? DocumentKind.Other) == d.Kind).ToList();
            list.Add(DocumentReport.Of(d) with
            {
                Mrz = d.Mrz is { } m ? new MrzReport(m.Result.Format, m.Result.Valid,
                    mine.FirstOrDefault(s => s.Mrz?.Correction is not null)?.Mrz?.Correction?.Text.Split('\n') ?? [],
                    m.Result.Checks.Select(c => new MrzCheckReport(c.Field, c.Ok)).ToList(), m.Result.Fields) : null,
                SignatureVisible = d.SignatureVisible is { } sv ? new MarkReport(sv.Value, sv.Confidence, sv.Source.Page) : null,
                Sides = mine.Select(s => new SideReport(s.Page, Code(s.Layout), Math.Round(s.Score, 3), s.How,
                    s.Fields.Select(f => new SideFieldReport(f.Name, f.Raw, f.Value, f.Confidence)).ToList(),
                    s.Mrz is null ? null : new SideMrzReport(s.Mrz.Found, s.Mrz.Valid, s.Mrz.Failure),
                    s.Signature is null ? null : new InkReport(s.Signature.Present, s.Signature.Confidence, Math.Round(s.Signature.Ratio, 4)))).ToList(),
            });
        }
        if (form.Found)
        {
            var f = forms.First(x => x.Page == form.Page);
            list.Add(DocumentReport.Of(form) with
            {
                Qr = new FormQrReport(true, f.Qr.Verified, f.Qr.Payload?.RequestId, f.Qr.Error),
                Signature = f.Signed is { } ink ? new InkReport(ink.Present, ink.Confidence, Math.Round(ink.Ratio, 4)) : null,
            });
        }
        return list;
    }

    internal static string Code(DocumentLayout l) => l.Specimen switch
    {
        SpecimenKind.CieFront => "cie_front", SpecimenKind.CieBack => "cie_back", SpecimenKind.PassportData => "passport_data",
        SpecimenKind.LicenceFront => "driving_licence_front", SpecimenKind.LicenceBack => "driving_licence_back",
        SpecimenKind.PaperIdInside => "paper_id_inside", SpecimenKind.PaperIdOutside => "paper_id_outside",
        SpecimenKind.HealthFront => "health_card_front", SpecimenKind.HealthBack => "health_card_back",
        SpecimenKind.IdentityFront => "identity_document_front", _ => "identity_document_back",
    };

    private static bool IsBilevel(Mat grey)
    {
        using var hist = new Mat();
        Cv2.CalcHist([grey], [0], null, hist, 1, [256], [new Rangef(0, 256)]);
        double extremes = hist.At<float>(0) + hist.At<float>(255);
        return extremes >= 0.98 * grey.Width * grey.Height;
    }

    /// <summary>The lower of the two declared resolutions, or — for an A4 page that declares none, or a PDF's nominal one —
    /// the page's width over 210 mm; 0 for a photo (judged per document by its size in the frame).</summary>
    private static double EffectiveDpi(Mat grey, PageInput p)
    {
        if (!CardLocator.IsSheet(grey, p.DpiX)) return 0;
        var fromWidth = Math.Min(grey.Width, grey.Height) / 210.0 * 25.4;
        var declared = Math.Min(p.DpiX, p.DpiY);
        return Math.Round(declared > 0 ? Math.Min(declared, fromWidth * 1.05) : fromWidth);
    }

    /// <summary>A side the specimens placed is confirmed by what such a side prints: its MRZ found, or one of its number,
    /// dates, names or codice fiscale read and parsed at the confidence the rules rely on. A side with nothing to read
    /// (a licence's back, a health card's back) is never confirmed by its layout alone.</summary>
    private static bool Confirmed(SideRead s) =>
        s.Mrz is { Found: true } m && m.Correction?.Result.Checks.Any(c => c.Ok) == true
        || s.Fields.Any(f => f.Value is { } v && f.Confidence >= 0.8 && f.Name is "number" or "expiry_date" or "birth_date" or "birth" or "issue_date" or "surname" or "codice_fiscale"
            && Plausible(f.Name, v));

    /// <summary>A zone's value that such a field can be: two letters or digits at least, and a digit in a number, a date or a
    /// codice fiscale (measured: a guilloche read "|" at 0.85 in a birth zone confirmed a CIE front of another layout).</summary>
    private static bool Plausible(string field, string value) =>
        value.Count(char.IsLetterOrDigit) >= 2 && (field == "surname" || value.Any(char.IsAsciiDigit));

    /// <summary>Fields read and reported that no rule decides on: their confidence does not make a page less legible.</summary>
    private static readonly string[] NoRuleUses = ["sex", "issue_date", "issue"];

    /// <summary>The fields the MRZ also carries: with the document's MRZ valid as a whole they are read whatever the OCR of
    /// their printed copy says.</summary>
    private static readonly string[] MrzCovered = ["number", "surname", "given_names", "birth", "birth_date", "expiry_date"];

    /// <summary>A page's OCR confidence over the fields the rules use, once every side is read: a field the document's valid
    /// MRZ carries (on this side or the other) counts as read with confidence 1 — a standard fax of a CIE prints names and
    /// dates too small to OCR well, but its MRZ reads them with check digits.</summary>
    private static void RecountOcrConfidence(List<PageLegibility> legibility, List<PageRead> pageReads, List<SideRead> sides, List<IdDocumentFacts> documents)
    {
        foreach (var group in sides.GroupBy(s => s.Page))
        {
            var confs = new List<double>();
            foreach (var side in group)
            {
                var mrzValid = documents.Any(d => d.Kind == (side.Layout.Kind ?? DocumentKind.Other) && d.Mrz?.Result.Valid == true);
                confs.AddRange(side.Fields.Where(f => !NoRuleUses.Contains(f.Name))
                    .Select(f => mrzValid && MrzCovered.Contains(f.Name) ? 1 : f.Confidence));
                if (side.Mrz is { Found: true } m) confs.Add(m.Valid ? 1 : Math.Max(0, 1 - m.MeanDistance));
            }
            if (confs.Count == 0) continue;
            var median = Math.Round(confs.Order().ElementAt(confs.Count / 2), 3);
            var i = legibility.FindIndex(l => l.Page == group.Key);
            if (i < 0) continue;
            legibility[i] = legibility[i] with { OcrMeanConfidence = median };
            var j = pageReads.FindIndex(r => r.Page == group.Key);
            if (j >= 0) pageReads[j] = pageReads[j] with { Legibility = legibility[i] };
        }
    }

    /// <summary>A sheet's scale from its declared resolution when that is plausible for the sheet's size (a fax is 215 mm
    /// wide at 204 dpi), else from its width as A4.</summary>
    private static double SheetPxPerMm(Mat grey, PageInput p)
    {
        var fromWidth = Math.Min(grey.Width, grey.Height) / 210.0;
        var declared = p.DpiX / 25.4;
        return declared > 0 && Math.Abs(declared - fromWidth) / fromWidth < 0.06 ? declared : fromWidth;
    }

    private static FormFacts FormFactsOf(List<FormRead> forms)
    {
        var form = forms.FirstOrDefault(f => f.Qr.Verified) ?? forms.FirstOrDefault();
        if (form is null) return FormFacts.NotFound;
        var qr = form.Qr.Payload is { } pl
            ? new FormQr(true, pl.RequestId, pl.CodiceFiscale, new Source(form.Page, "qr"))
            : new FormQr(false, null, null, new Source(form.Page, "qr"));
        Read<bool>? signed = form.Signed is { } ink ? new Read<bool>(ink.Present, ink.Confidence, new Source(form.Page, "signature")) : null;
        var fields = FormFields.None;
        if (qr.Verified && qr.CodiceFiscale is { } cf) fields = fields with { CodiceFiscale = new Read<string>(cf, 1, qr.Source) };
        foreach (var f in form.Fields.Where(f => f.Value is not null))
        {
            var r = new Read<string>(f.Value!, f.Confidence, new Source(form.Page, f.Name));
            fields = f.Name switch
            {
                Cases.Forms.FormZones.CodiceFiscale when fields.CodiceFiscale is null => fields with { CodiceFiscale = r },
                Cases.Forms.FormZones.Surname => fields with { Surname = r },
                Cases.Forms.FormZones.GivenNames => fields with { GivenNames = r },
                _ => fields,
            };
        }
        return new FormFacts(true, form.Page, qr, signed, fields);
    }

    private static List<IdDocumentFacts> DocumentsOf(List<SideRead> sides, DateOnly asOf)
    {
        var docs = new List<IdDocumentFacts>();
        // A side read by its text whose kind the text could not tell (a CARTA D'IDENTITÀ front without the words that
        // tell a CIE from a paper card) is the missing face of the one identity document of a known kind in the file,
        // when there is exactly one and that face is missing from it.
        var known = sides.Where(s => s.Layout.Kind is { } k && k is not DocumentKind.Unknown).GroupBy(s => s.Layout.Kind!.Value).ToList();
        if (known.Count == 1 && CompletenessTwoSided(known[0].Key))
        {
            var kind = known[0].Key;
            var has = known[0].Select(s => s.Layout.Side).ToHashSet();
            sides = sides.Select(s => s.Layout.Kind == DocumentKind.Unknown && !has.Contains(s.Layout.Side)
                ? s with { Layout = s.Layout with { Kind = kind, Title = s.Layout.Title + $", taken as the {Rules.Codes.Of(kind)}'s other face" } }
                : s).ToList();
        }
        foreach (var group in sides.GroupBy(s => s.Layout.Kind ?? DocumentKind.Other))
        {
            var list = group.ToList();
            var sidePages = list.Select(s => new SidePage(s.Layout.Side, s.Page)).Distinct().ToList();
            var fields = DocumentFields.None;
            foreach (var s in list)
                foreach (var f in s.Fields.Where(f => f.Value is not null))
                {
                    var src = new Source(s.Page, f.Name);
                    var value = f.Value!;
                    fields = f.Name switch
                    {
                        "number" when fields.Number is null => fields with { Number = new(value, f.Confidence, src) },
                        "surname" => fields with { Surname = new(value, f.Confidence, src) },
                        "given_names" => fields with { GivenNames = new(value, f.Confidence, src) },
                        "sex" => fields with { Sex = new(value[0], f.Confidence, src) },
                        "codice_fiscale" => fields with { CodiceFiscale = new(value, f.Confidence, src) },
                        "issue_date" when Date(value) is { } d => fields with { IssueDate = new(d, f.Confidence, src) },
                        "expiry_date" when Date(value) is { } d => fields with { ExpiryDate = new(d, f.Confidence, src) },
                        "birth_date" when Date(value) is { } d => fields with { BirthDate = new(d, f.Confidence, src) },
                        "birth" when BirthDateIn(value, asOf) is { } d => fields with { BirthDate = new(d, f.Confidence, src) },
                        "issue" when DateWithCenturyIn(value) is { } d => fields with { IssueDate = new(d, f.Confidence, src) },
                        _ => fields,
                    };
                }
            MrzRead? mrz = null;
            if (list.FirstOrDefault(s => s.Mrz?.Result is not null) is { Mrz: { } m } withMrz)
                mrz = new MrzRead(m.Result!, m.Valid ? 1 : Math.Max(0, 1 - m.MeanDistance), new Source(withMrz.Page, "mrz"));
            fields = CrossCheck(fields, mrz);
            var signer = list.FirstOrDefault(s => s.Signature is not null);
            Read<bool>? visible = signer?.Signature is { } ink ? new Read<bool>(ink.Present, ink.Confidence, new Source(signer.Page, "signature")) : null;
            docs.Add(new IdDocumentFacts(group.Key, sidePages, fields, mrz, visible));
        }
        return docs;
    }

    private static bool CompletenessTwoSided(DocumentKind kind) => Rules.Checks.CompletenessRule.IsTwoSided(kind);

    /// <summary>Printed fields against an MRZ valid as a whole: where they disagree, the printed reading is dropped and the
    /// MRZ speaks for the document. The MRZ is made for machines (OCR-B, fixed pitch, check digits over number and dates;
    /// the names sit in the same verified zone), the printed fields for people (small proportional type over guilloches);
    /// on the corpus every such disagreement was an OCR slip of the printed field (a trailing letter from the background, 6
    /// for 0). Names are compared folded (accents, apostrophes, spaces), as the MRZ writes them.</summary>
    internal static DocumentFields CrossCheck(DocumentFields f, MrzRead? mrz)
    {
        if (mrz is not { Result.Valid: true } m) return f;
        string? M(string k) => m.Result.Fields.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        if (f.Number is { } n && M("document_number") is { } mn && !string.Equals(mn, n.Value, StringComparison.OrdinalIgnoreCase)) f = f with { Number = null };
        if (f.BirthDate is { } b && M("birth_date") is { } mb && mb != Iso(b.Value)) f = f with { BirthDate = null };
        if (f.ExpiryDate is { } e && M("expiry_date") is { } me && me != Iso(e.Value)) f = f with { ExpiryDate = null };
        if (f.Sex is { } sx && M("sex") is { } ms && ms != sx.Value.ToString()) f = f with { Sex = null };
        if (f.Surname is { } sn && M("surname") is { } msn && !PersonNames.SameSurname(sn.Value, msn)) f = f with { Surname = null };
        if (f.GivenNames is { } gn && M("given_names") is { } mgn && !PersonNames.SameGivenNames(gn.Value, mgn)) f = f with { GivenNames = null };
        return f;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Date(string iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>The date in a "place and date of birth" line: dd.MM.yyyy (CIE) or dd/MM/yy (licence, field 3; the century is
    /// the one that makes the holder between 14 and 114 years old).</summary>
    internal static DateOnly? BirthDateIn(string text, DateOnly asOf)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, @"(\d{2})[./](\d{2})[./](\d{4}|\d{2})");
        if (!m.Success) return null;
        var y = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (m.Groups[3].Value.Length == 2) y += y > asOf.Year % 100 - 14 ? 1900 : 2000;
        return DateOnly.TryParseExact($"{m.Groups[1].Value}.{m.Groups[2].Value}.{y:D4}", "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    /// <summary>The date in the paper card's "place, li dd/MM/yyyy" of issue. The year must have its four digits: a long
    /// town's name pushes the line past the card's edge, and "19/04/20" cut there is not a date of 1920.</summary>
    internal static DateOnly? DateWithCenturyIn(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text, @"(\d{2})[./](\d{2})[./](\d{4})(?!\d)");
        return m.Success && DateOnly.TryParseExact($"{m.Groups[1].Value}.{m.Groups[2].Value}.{m.Groups[3].Value}", "dd.MM.yyyy",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    /// <summary>The form whose signature box the comparison and the reviewer use: the verified form's, else any form's.</summary>
    private static FormRead? SignedForm(List<FormRead> forms) =>
        forms.FirstOrDefault(f => f.Qr.Verified && f.SignatureCrop is not null) ?? forms.FirstOrDefault(f => f.SignatureCrop is not null);

    /// <summary>The document side holding the holder's signature area; <paramref name="withInk"/>: only one where ink was seen.</summary>
    private static SideRead? SignatureSide(List<SideRead> sides, bool withInk) =>
        sides.FirstOrDefault(s => s.Layout.IsIdentityDocument && s.SignatureCrop is not null && (!withInk || s.Signature?.Present == true));

    /// <summary>The two crops as PNG for the reviewer (the form's box, the document's signature area, inked or not).</summary>
    private static (byte[]? Form, byte[]? Document) CropsOf(List<FormRead> forms, List<SideRead> sides) =>
        (SignedForm(forms)?.SignatureCrop?.ImEncode(".png"), SignatureSide(sides, withInk: false)?.SignatureCrop?.ImEncode(".png"));

    private static SignatureComparison CompareSignatures(List<FormRead> forms, List<SideRead> sides)
    {
        var form = SignedForm(forms);
        var side = SignatureSide(sides, withInk: true);
        if (form?.SignatureCrop is null || side?.SignatureCrop is null) return SignatureComparison.NotComputed;
        if (Environment.GetEnvironmentVariable("VERIFY_READ_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            Cv2.ImWrite(Path.Combine(dump, "form-signature.png"), form.SignatureCrop);
            Cv2.ImWrite(Path.Combine(dump, "document-signature.png"), side.SignatureCrop);
        }
        var result = SignatureComparer.Compare(form.SignatureCrop, side.SignatureCrop);
        return new SignatureComparison(result.Score, new Source(form.Page, "signature"), new Source(side.Page, "signature"));
    }
}
