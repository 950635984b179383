using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Serialization;
using OpenCvSharp;
using SkiaSharp;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.DocumentFamilies;

public enum SubmissionKind { Pdf, ZipOfPngs, FaxTiff, CollageJpeg }

/// <summary>Where a side of the document is: 1-based page of the file (for a zip, the entry in name order).</summary>
public sealed record SidePage([property: JsonPropertyName("side")] string Side, [property: JsonPropertyName("page")] int Page);

/// <summary>The truth of one generated file: what it holds and where.</summary>
public sealed record ItemLabel(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("capture")] string Capture,
    [property: JsonPropertyName("family_id")] string FamilyId,
    [property: JsonPropertyName("document_type")] string DocumentType,
    [property: JsonPropertyName("dpi_x")] double DpiX,
    [property: JsonPropertyName("dpi_y")] double DpiY,
    [property: JsonPropertyName("sides")] IReadOnlyList<SidePage> Sides,
    [property: JsonPropertyName("form_page")] int? FormPage,
    [property: JsonPropertyName("request")] ConversionRequest? Request,
    [property: JsonPropertyName("fields")] DocumentFields Fields);

public sealed record SubmissionFile(string FileName, byte[] Bytes, ItemLabel Label);

/// <summary>
/// A whole submission as a citizen sends it: the signed request form plus the document's front and back, in one of
/// the four shapes the intake accepts.
/// </summary>
public static class Submissions
{
    private const double PagePdfDpi = 200, CollageDpi = 150;

    /// <summary>The request the portal would hold for this document and person. A health card is declared as a CIE
    /// with a number not on the card: the citizen attached the wrong card.</summary>
    public static ConversionRequest Request(DrawnDocument doc, Person person, int seed)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(person);
        var rng = new Random(seed ^ 0x5EED);
        var f = doc.Fields;
        var isId = doc.Family.DocumentType != DocumentTypes.HealthCard;
        var document = new DeclaredDocument(
            isId ? doc.Family.DocumentType : DocumentTypes.Cie,
            isId ? f.DocumentNumber : $"CA{rng.Next(10000, 99999)}ZZ",
            isId ? f.IssuedBy : $"COMUNE DI {person.Comune.ToUpperInvariant()}",
            f.IssueDate, isId ? f.ExpiryDate : f.IssueDate.AddYears(10));
        var data = new RequestData(
            string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + rng.Next(10)))),
            f.CodiceFiscale, person.Surname.ToUpperInvariant(), person.GivenNames.ToUpperInvariant(), person.BirthDate,
            person.BirthPlace, null, null, document);
        var created = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(1)).AddMinutes(rng.Next(0, 60 * 24 * 25));
        return new ConversionRequest($"fam-{doc.Family.Id}-{(uint)seed:x8}", "families", created, data);
    }

    public static SubmissionFile Build(DrawnDocument doc, Person person, SubmissionKind kind, int seed, string hmacKey = FormQr.DevelopmentKey)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var rng = new Random(seed);
        var request = Request(doc, person, seed);
        var stem = $"{doc.Family.Id}-{(uint)seed:x8}";
        var arrangement = Captures.PickArrangement(seed);
        var groups = Captures.Groups(doc.Sides, arrangement).ToList();
        var sides = new List<SidePage>();
        for (var g = 0; g < groups.Count; g++)
            sides.AddRange(groups[g].Select(s => new SidePage(s.Name, g + 2)));

        void Form(SKCanvas c) => DrawSignedForm(c, request, person, doc, hmacKey, rng);

        switch (kind)
        {
            case SubmissionKind.Pdf:
            {
                var builder = new PdfDocumentBuilder();
                foreach (var page in Pages(PagePdfDpi, PagePdfDpi))
                {
                    using var mat = Images.ToBgr(page.Bitmap);
                    var jpeg = Images.Jpeg(mat, 85, PagePdfDpi);
                    var wPt = page.WidthMm / 25.4 * 72; var hPt = page.HeightMm / 25.4 * 72;
                    builder.AddPage(wPt, hPt).AddJpeg(jpeg, new PdfRectangle(0, 0, wPt, hPt));
                    page.Bitmap.Dispose();
                }
                return Done(".pdf", builder.Build(), "submission_pdf", PagePdfDpi, PagePdfDpi);
            }
            case SubmissionKind.ZipOfPngs:
            {
                using var ms = new MemoryStream();
                using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
                {
                    var i = 0;
                    foreach (var page in Pages(PagePdfDpi, PagePdfDpi))
                    {
                        i++;
                        using var mat = Images.ToBgr(page.Bitmap);
                        page.Bitmap.Dispose();
                        var entry = zip.CreateEntry(i == 1 ? "01-modulo.png" : $"{i:00}-documento.png", CompressionLevel.Optimal);
                        // A fixed time stamp: the same seed must give the same bytes.
                        entry.LastWriteTime = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
                        using var s = entry.Open();
                        s.Write(Images.Png(mat, PagePdfDpi));
                    }
                }
                return Done(".zip", ms.ToArray(), "submission_zip", PagePdfDpi, PagePdfDpi);
            }
            case SubmissionKind.FaxTiff:
            {
                var mode = rng.Next(2) == 0 ? FaxMode.Fine : FaxMode.Standard;
                var bilevel = new List<BilevelPage>();
                using (var form = Captures.FaxPage([], Form, rng)) bilevel.Add(Fax1Bit.Bilevel(form, mode, rng));
                foreach (var group in groups)
                {
                    using var page = Captures.FaxPage(group, null, rng);
                    bilevel.Add(Fax1Bit.Bilevel(page, mode, rng));
                }
                return Done(".tif", Fax1Bit.Tiff(bilevel, g4: rng.Next(3) > 0), "submission_fax", 204, mode == FaxMode.Fine ? 196 : 98);
            }
            case SubmissionKind.CollageJpeg:
            {
                // One picture: the A4 form on top, the document's sides below it on the same white ground.
                var docBand = doc.Sides.Max(s => s.HeightMm) + 24;
                var sideBySide = doc.Sides.Sum(s => s.WidthMm) + 24 <= Captures.A4WidthMm;
                var bandH = sideBySide ? docBand : doc.Sides.Sum(s => s.HeightMm + 12) + 12;
                var placed = Captures.Arrange(doc.Sides, sideBySide ? SheetArrangement.SideBySide : SheetArrangement.Stacked,
                    0, Captures.A4HeightMm, Math.Max(Captures.A4WidthMm, doc.Sides.Max(s => s.WidthMm) + 16), bandH, rng);
                var width = Math.Max(Captures.A4WidthMm, doc.Sides.Max(s => s.WidthMm) + 16);
                using var bitmap = Sheets.Render(width, Captures.A4HeightMm + bandH, CollageDpi, CollageDpi, Form, placed);
                using var mat = Images.ToBgr(bitmap);
                var all = doc.Sides.Select(s => new SidePage(s.Name, 1)).ToList();
                return new SubmissionFile(stem + "-collage.jpg", Images.Jpeg(mat, 85, CollageDpi),
                    new ItemLabel(stem + "-collage.jpg", "submission_collage", doc.Family.Id, doc.Family.DocumentType, CollageDpi, CollageDpi, all, 1, request, doc.Fields));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        IEnumerable<(SKBitmap Bitmap, double WidthMm, double HeightMm)> Pages(double dpiX, double dpiY)
        {
            yield return (Sheets.Render(Captures.A4WidthMm, Captures.A4HeightMm, dpiX, dpiY, Form, []), Captures.A4WidthMm, Captures.A4HeightMm);
            foreach (var group in groups)
            {
                var (w, h) = Captures.SheetSize(group);
                var placed = Captures.Arrange(group, arrangement == SheetArrangement.SideBySide ? SheetArrangement.SideBySide : SheetArrangement.Stacked, 0, 0, w, h, rng);
                yield return (Sheets.Render(w, h, dpiX, dpiY, null, placed), w, h);
            }
        }

        SubmissionFile Done(string ext, byte[] bytes, string capture, double dx, double dy)
        {
            var name = stem + ext;
            return new SubmissionFile(name, bytes, new ItemLabel(name, capture, doc.Family.Id, doc.Family.DocumentType, dx, dy, sides, 1, request, doc.Fields));
        }
    }

    /// <summary>The printed form, filled in by hand (residence, place and date) and signed with the holder's signature,
    /// as a printed-then-scanned page: shifted and turned a little on the sheet.</summary>
    private static void DrawSignedForm(SKCanvas canvas, ConversionRequest request, Person person, DrawnDocument doc, string key, Random rng)
    {
        canvas.Save();
        canvas.Translate((float)(rng.NextDouble() * 4 - 2), (float)(rng.NextDouble() * 4 - 2));
        canvas.RotateDegrees((float)(rng.NextDouble() * 1.2 - 0.6), (float)(Captures.A4WidthMm / 2), (float)(Captures.A4HeightMm / 2));
        FormRenderer.DrawPage(canvas, request, new FormRenderOptions(key));
        var blue = new SKColor(0x1B, 0x2F, 0x8A);
        var residence = FormLayout.Zone(FormZones.Residence).Rect;
        Hand(canvas, person.Address, residence, blue);
        var placeDate = FormLayout.Zone(FormZones.PlaceAndDate).Rect;
        var signedOn = DateOnly.FromDateTime(request.CreatedAt.Date).AddDays(rng.Next(0, 3));
        Hand(canvas, $"{person.Comune}, {signedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}", placeDate, blue);
        var sig = FormLayout.Signature.Rect;
        Signatures.Draw(canvas, person, Families.PersonSeed(person), (float)(sig.X + 8 + rng.NextDouble() * 20), (float)(sig.Y + 5),
            (float)Math.Min(70, sig.Width - 30), (float)(sig.Height - 9), blue, rng, 0.05);
        canvas.Restore();
    }

    private static void Hand(SKCanvas canvas, string text, MmRect box, SKColor ink)
    {
        using var font = new SKFont(Faces.SerifItalic, 4.2f) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true };
        using var paint = new SKPaint { Color = ink, IsAntialias = true };
        var width = font.MeasureText(text);
        if (width > box.Width - 4) font.ScaleX = (float)((box.Width - 4) / width);
        canvas.DrawText(text, (float)box.X + 2, (float)(box.Bottom - 2), SKTextAlign.Left, font, paint);
    }
}
