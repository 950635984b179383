using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpenCvSharp;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Worker.Reading.Mrz;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>A document side found by what it prints: its kind and side, the fields read beside their labels, the
/// evidence that named it (keywords, MRZ document code, numbered licence fields) for the reviewer.</summary>
public sealed record TextSide(DocumentKind? Kind, DocumentSide Side, IReadOnlyList<string> Evidence);

/// <summary>What <see cref="TextDocumentReader.Read"/> found on a page: the sides (possibly both faces of one document
/// on one page), the fields, the MRZ, and the page's mean word confidence.</summary>
/// <param name="IsForm">The page prints our request form's title ("Richiesta di conversione del PIN online in PIN
/// dispositivo"): it is the form, whose QR the form reader should try harder to decode — not a document.</param>
/// <param name="Signature">The holder's signature found beside its label (<see cref="TextDocumentReader.SignatureNear"/>),
/// for the side that carries it (<see cref="SignatureSide"/>).</param>
public sealed record TextRead(IReadOnlyList<TextSide> Sides, IReadOnlyList<FieldRead> Fields, MrzImageRead? Mrz, double MeanConfidence, int Words, bool IsForm = false)
{
    public bool Found => Sides.Count > 0;

    public TextSignature? Signature { get; init; }

    /// <summary>The side the holder signs: a passport's data page, otherwise the front (a CIE's, a licence's, the paper
    /// card's inside); null when none of <see cref="Sides"/> is it.</summary>
    public TextSide? SignatureSide => Sides.FirstOrDefault(s => s.Kind is not (null or DocumentKind.Other) && (s.Kind == DocumentKind.Passport || s.Side == DocumentSide.Front));
}

/// <summary>
/// Reads an identity document of any layout by what every real issue prints, not by where: the MRZ wherever it is
/// (<see cref="MrzImageReader"/>: 2–3 OCR-B lines of 30/36/44 characters, any place and turn), then the page's words with
/// their boxes (one full-page OCR pass), the type and side from the titles every issue carries (REPUBBLICA ITALIANA,
/// CARTA DI IDENTITÀ / IDENTITY CARD, PASSAPORTO, PATENTE DI GUIDA with its numbered fields 1. 2. 3. 4a. 4b. 4c. 5., the
/// categories grid of its back, TESSERA SANITARIA) and the MRZ's document code; each value from beside or below its
/// printed label (Italian or English), parsed and validated: dates, the type's document-number pattern, sex; the
/// codice fiscale wherever a valid one is printed. Values the MRZ carries with holding check digits win later
/// (<see cref="SubmissionReader.CrossCheck"/>). Layouts are never a condition: nothing here knows where a field is printed.
/// </summary>
public static partial class TextDocumentReader
{
    /// <summary>Text is read at about 12 px/mm (300 dpi): a card's 1.8–2.5 mm capitals are then 20–30 px high, where
    /// Tesseract's LSTM reads best; coarser captures are enlarged up to 3×, finer ones reduced.</summary>
    private const double TargetPxPerMm = 12;

    public static TextRead Read(Mat grey, double pxPerMm, OcrEngine ocr, DateOnly asOf, bool mrzOnly = false, CancellationToken ct = default)
    {
        // Only an MRZ valid as a whole names a document: on an unrelated page the zone finder can assemble a "zone" whose
        // check digits partly hold by chance (measured: a faxed letter read as a CZ card with two digits right).
        var mrz = MrzImageReader.Read(grey, asOf, TimeSpan.FromSeconds(1.2));
        var mrzUsable = mrz.Valid;
        if (mrzOnly)
        {
            var sides = mrzUsable ? FromMrz(mrz.Result!, []) : [];
            return new TextRead(sides, [], mrzUsable ? mrz : null, 0, 0);
        }
        ct.ThrowIfCancellationRequested();
        var plain = Scaled(grey, pxPerMm);
        Ink.InvertDarkBands(plain);
        // Tinted cards, guilloches, shadows and a photo's uneven light become white paper: Tesseract's global threshold
        // then sees the print alone.
        var work = Ink.Flatten(plain);
        var words = Words(work, ocr);
        var read = Interpret(words, mrzUsable ? mrz : null, asOf);
        // A card's back proven by its MRZ on a coarse sheet (a fax, a 200 dpi scan: ~8 px/mm) whose front the words did
        // not name: a card's 2 mm print is then ~16 px high, under what Tesseract reads well. One more pass enlarged to
        // 12 px/mm, only for such a page (a page that names nothing keeps its single pass).
        // A front named only by the MRZ's data printed outside it (no label read) is read enlarged too: its labels, and the
        // codice fiscale printed under them, were as small; the enlarged read is kept unless it gave fewer fields.
        if (pxPerMm is > 0 and < 10 && mrzUsable && read.Sides.All(s => s.Side == DocumentSide.Back || s.Evidence.Any(e => e.StartsWith(FrontByMrzPrint, StringComparison.Ordinal))))
        {
            ct.ThrowIfCancellationRequested();
            var bigPlain = new Mat();
            Cv2.Resize(grey, bigPlain, new Size(), TargetPxPerMm / pxPerMm, TargetPxPerMm / pxPerMm, InterpolationFlags.Cubic);
            Ink.InvertDarkBands(bigPlain);
            var bigWork = Ink.Flatten(bigPlain);
            var bigWords = Words(bigWork, ocr);
            var big = Interpret(bigWords, mrz, asOf);
            if (big.Sides.Any(s => s.Side == DocumentSide.Front) && (read.Sides.All(s => s.Side == DocumentSide.Back) || big.Fields.Count >= read.Fields.Count))
            {
                (plain, bigPlain) = (bigPlain, plain);
                (work, bigWork) = (bigWork, work);
                (read, words) = (big, bigWords);
            }
            bigPlain.Dispose();
            bigWork.Dispose();
        }
        // Print read well that names nothing: a document whose labels are paler than its values (a paper card's 1 mm
        // grey capitals fall under Tesseract's global threshold and come out as fragments; enlarging them 2× did not help,
        // measured). The region of the words read is read once more with grey print darkened; only such a page pays for
        // it, and its words are mapped back to this page's pixels, so everything after sees one geometry.
        if (!read.Found && !read.IsForm && SmallPrintRegion(words, work, plain.Width / (double)grey.Width * pxPerMm) is { } region)
        {
            ct.ThrowIfCancellationRequested();
            using var crop = new Mat(work, region);
            using var darker = new Mat();
            Cv2.LUT(crop, Darker.Value, darker);
            var darkerWords = Words(darker, ocr).Select(w => w with
            {
                Box = new PixelRect(region.X + w.Box.X, region.Y + w.Box.Y, w.Box.Width, w.Box.Height),
            }).ToList();
            var again = Interpret(darkerWords, mrzUsable ? mrz : null, asOf);
            if (again.Found) (read, words) = (again, darkerWords);
        }
        using var plainOwner = plain;
        using var workOwner = work;
        read = WithBarcodeCodiceFiscale(read, work, asOf);
        // An upside-down page reads as noise (mean word confidence measured under 0.5; a page of text the right way up is
        // above 0.7): one more pass turned by 180° then, and only then.
        // A page with no word at all has no print to turn (measured: the rest of a photographed form, painted out, cost
        // 0.4 s more turned for nothing).
        if (!read.Found && read.MeanConfidence < 0.5 && words.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            Cv2.Rotate(work, work, RotateFlags.Rotate180);
            Cv2.Rotate(plain, plain, RotateFlags.Rotate180);
            var turnedWords = Words(work, ocr);
            var turned = Interpret(turnedWords, mrzUsable ? mrz : null, asOf);
            if (turned.Found || turned.MeanConfidence > read.MeanConfidence) (read, words) = (turned, turnedWords);
            else
            {
                Cv2.Rotate(work, work, RotateFlags.Rotate180);
                Cv2.Rotate(plain, plain, RotateFlags.Rotate180);
            }
        }
        if (read.SignatureSide is { Kind: { } signer })
            read = read with { Signature = SignatureNear(work, plain, words, signer) };
        return read;
    }

    /// <summary>The codice fiscale from a barcode when the text gave none: the CIE's back (and the health card) carry it
    /// as a Code 128 / Code 39 barcode, whose own check makes a decoded code as good as read (ZXing.Net); taken only when
    /// it is a valid codice fiscale.</summary>
    private static TextRead WithBarcodeCodiceFiscale(TextRead read, Mat work, DateOnly asOf)
    {
        if (!read.Found || read.Fields.Any(f => f.Name == "codice_fiscale")) return read;
        if (!read.Sides.Any(s => s.Kind is DocumentKind.Cie or DocumentKind.Unknown or DocumentKind.Other)) return read;
        var bytes = new byte[work.Width * work.Height];
        using (var packed = work.Clone()) // a clone's rows are contiguous, as the byte copy needs
            System.Runtime.InteropServices.Marshal.Copy(packed.Data, bytes, 0, bytes.Length);
        var reader = new ZXing.BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new ZXing.Common.DecodingOptions
            {
                TryHarder = true,
                PossibleFormats = [ZXing.BarcodeFormat.CODE_128, ZXing.BarcodeFormat.CODE_39],
            },
        };
        var results = reader.DecodeMultiple(new ZXing.RGBLuminanceSource(bytes, work.Width, work.Height, ZXing.RGBLuminanceSource.BitmapFormat.Gray8)) ?? [];
        foreach (var r in results)
        {
            var code = Regex.Replace(r.Text ?? "", "[^A-Za-z0-9]", "").ToUpperInvariant();
            if (code.Length == 16 && CodiceFiscale.Parse(code, asOf).Valid)
                return read with { Fields = [.. read.Fields, new FieldRead("codice_fiscale", r.Text ?? code, code, 1.0, default)] };
        }
        return read;
    }

    /// <summary>The box of a page's confidently read words (≥ 6 of them, 0.8 or more), with a margin of four word heights:
    /// where pale print beside them may have been lost. Null otherwise, and for a region over 6 Mpx (a whole page of text,
    /// not a document on it: the second pass would cost a full page's OCR).</summary>
    /// <summary>v ↦ 255·(v/255)³: grey print (150) turns dark (52), white paper (255) stays white.</summary>
    private static readonly Lazy<Mat> Darker = new(() =>
    {
        var lut = new Mat(1, 256, MatType.CV_8UC1);
        for (var v = 0; v < 256; v++) lut.Set(0, v, (byte)Math.Round(255 * Math.Pow(v / 255.0, 3)));
        return lut;
    });

    /// <summary>The region of the words read well, when it could be a document: on a sheet of known scale, no larger than
    /// a paper card's two pages one above the other (230 × 200 mm). A letter or a bill read well over a whole A4 page is
    /// not read again (measured: 1.7 s for nothing on a bill's page).</summary>
    private static Rect? SmallPrintRegion(List<Word> words, Mat work, double workPxPerMm)
    {
        var sure = words.Where(w => w.Conf >= 0.8 && w.Norm.Length >= 2).ToList();
        if (sure.Count < 6) return null;
        var margin = (int)sure.Average(w => w.Box.Height) * 4;
        var x0 = Math.Max(0, sure.Min(w => w.Box.X) - margin);
        var y0 = Math.Max(0, sure.Min(w => w.Box.Y) - margin);
        var x1 = Math.Min(work.Width, sure.Max(w => w.Right) + margin);
        var y1 = Math.Min(work.Height, sure.Max(w => w.Bottom) + margin);
        if (x1 - x0 < 32 || y1 - y0 < 32 || (long)(x1 - x0) * (y1 - y0) > 6_000_000) return null;
        if (workPxPerMm > 0 && (Math.Max(x1 - x0, y1 - y0) > 230 * workPxPerMm || Math.Min(x1 - x0, y1 - y0) > 200 * workPxPerMm)) return null;
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    private static Mat Scaled(Mat grey, double pxPerMm)
    {
        // A photo has no declared scale: its long side is brought to 2400 px, where a card filling a third of the frame is
        // still ≈ 10 px/mm.
        // A sheet of 7.5 px/mm or more (190 dpi: fine faxes, 200–300 dpi scans) is read as it is or reduced: enlarging it
        // would double the pass's time for little (the pass's cost grows with the pixels).
        double f = pxPerMm <= 0 ? Math.Min(1, 2400.0 / Math.Max(grey.Width, grey.Height))
            : pxPerMm >= 7.5 ? Math.Clamp(TargetPxPerMm / pxPerMm, 0.4, 1) : Math.Min(3, 10 / pxPerMm);
        var m = new Mat();
        if (Math.Abs(f - 1) < 0.05) grey.CopyTo(m);
        else Cv2.Resize(grey, m, new Size(), f, f, f > 1 ? InterpolationFlags.Cubic : InterpolationFlags.Area);
        return m;
    }

    private static List<Word> Words(Mat work, OcrEngine ocr)
    {
        ocr.SetWhitelist(null);
        ocr.SetImage(work.Data, work.Width, work.Height, (int)work.Step(), 300);
        var list = ocr.ReadWords(PageSegMode.SparseText).Select(w => new Word(w.Text, Normal(w.Text), w.Confidence / 100.0, w.Box)).ToList();
        ocr.Clear();
        if (Environment.GetEnvironmentVariable("VERIFY_TEXT_DEBUG") is { Length: > 0 } dbg)
        {
            if (Directory.Exists(dbg)) Cv2.ImWrite(Path.Combine(dbg, $"text-{work.Width}x{work.Height}-{Environment.TickCount64}.png"), work);
            Console.Error.WriteLine($"text {work.Width}x{work.Height}: " + string.Join(" ", list.Select(w => $"{w.Raw}[{w.Conf:0.00}@{w.Box.X},{w.Box.Y}]")));
        }
        return list;
    }

    internal sealed record Word(string Raw, string Norm, double Conf, PixelRect Box)
    {
        public double Cx => Box.X + Box.Width / 2.0;
        public double Cy => Box.Y + Box.Height / 2.0;
        public int Right => Box.X + Box.Width;
        public int Bottom => Box.Y + Box.Height;
    }

    /// <summary>Upper case, accents off, only letters, digits and the punctuation labels and values use.</summary>
    internal static string Normal(string s)
    {
        var d = s.Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var u = char.ToUpperInvariant(c);
            if (u is >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '/' or '-' or '\'' or '<') b.Append(u);
            else if (u is '’' or '`') b.Append('\'');
        }
        return b.ToString();
    }

    private static string Letters(string s) => new(s.Where(char.IsAsciiLetter).ToArray());

    /// <summary>A word is the keyword when equal, or within one edit for keywords of 6+ letters (two for 9+): OCR slips a
    /// letter of a small title, never enough to turn PATENTE into PASSAPORTO.</summary>
    internal static bool Like(string word, string keyword)
    {
        var w = Letters(word);
        if (w.Length == 0) return false;
        if (w == keyword) return true;
        var allowed = keyword.Length >= 9 ? 2 : keyword.Length >= 6 ? 1 : 0;
        return allowed > 0 && Math.Abs(w.Length - keyword.Length) <= allowed && Distance(w, keyword) <= allowed;
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    /// <summary>Every word like one of <paramref name="a"/> lies farther than <paramref name="px"/> from every word like one
    /// of <paramref name="b"/> (centre to centre).</summary>
    private static bool Apart(List<Word> words, string[] a, string[] b, double px)
    {
        var wa = words.Where(w => a.Any(k => Like(w.Norm, k))).ToList();
        var wb = words.Where(w => b.Any(k => Like(w.Norm, k))).ToList();
        return wa.Count > 0 && wa.All(x => wb.All(y => Math.Sqrt((x.Cx - y.Cx) * (x.Cx - y.Cx) + (x.Cy - y.Cy) * (x.Cy - y.Cy)) > px));
    }

    private static bool Has(List<Word> words, params string[] keywords) => keywords.Any(k => words.Any(w => Like(w.Norm, k)));

    private static int Count(List<Word> words, params string[] keywords) => keywords.Count(k => words.Any(w => Like(w.Norm, k)));

    /// <summary>The categories grid of the licence's back (annex I, page 2).</summary>
    /// <summary>A word read as a licence category, its digit 1 restored where OCR gave I or a lower-case l.</summary>
    private static string CategoryDigits(Word w) =>
        new(w.Norm.Select((c, i) => c == 'I' || c == 'L' && i < w.Raw.Length && w.Raw[i] == 'l' ? '1' : c).ToArray());

    /// <summary>The evidence of a card's front named by the MRZ's data printed outside the MRZ, no label read.</summary>
    private const string FrontByMrzPrint = "the MRZ's birth date and ";

    private static readonly string[] LicenceCategories = ["AM", "A1", "A2", "B1", "BE", "C1", "C1E", "CE", "D1", "D1E", "DE"];

    internal static TextRead Interpret(List<Word> words, MrzImageRead? mrz, DateOnly asOf)
    {
        var mean = words.Count == 0 ? 0 : words.Average(w => w.Conf);
        var good = words.Where(w => w.Conf >= 0.3).ToList();
        var evidence = new List<string>();
        var mrzKind = mrz?.Result is { } mr ? KindOfMrz(mr) : null;

        // Our own form names documents and prints "Cognome", "Codice fiscale"…: its title and headings ("Richiesta di
        // conversione del PIN online in PIN dispositivo", "Riferimento PIN", "Dichiarazione", "Firma del richiedente"),
        // words no identity document prints, say it is the form (two of them, so one misread word is enough).
        if (Count(good, "DISPOSITIVO", "CONVERSIONE", "RICHIESTA", "RICHIEDENTE", "DICHIARAZIONE", "RIFERIMENTO") >= 2)
            return new TextRead([], [], null, mean, words.Count, IsForm: true);
        var identity = Has(good, "IDENTITA", "IDENTITY", "IDENTITE");
        // The English title, told from the Italian one it is one letter from ("IDENTITÀ" is within one edit of IDENTITY:
        // a paper card's cover was taken for a bilingual CIE): the word nearer IDENTITY than IDENTITA and IDENTITE.
        var paperCover = false; // set below, once the numbers are known
        var english = good.Any(w => Like(w.Norm, "IDENTITY") && Distance(Letters(w.Norm), "IDENTITY") < Math.Min(Distance(Letters(w.Norm), "IDENTITA"), Distance(Letters(w.Norm), "IDENTITE")));
        var carta = Has(good, "CARTA", "CARD");
        var passport = Has(good, "PASSAPORTO", "PASSPORT", "PASSEPORT");
        var patente = Has(good, "PATENTE", "LICENCE", "LICENSE");
        var numbered = LicenceNumbers(Lines(good)).Values.Distinct().Count();
        // A category's digit 1 is often read as a letter I ("AI", "DIE"): no category holds an I.
        // So is a lower-case l ("Bl"): an upper-case L is a letter ("FINO AL").
        var categories = LicenceCategories.Count(k => good.Any(w => w.Norm.Length is 2 or 3 && CategoryDigits(w) == k));
        // The back's numbered columns and fields (annex I: 9 categories, 10 from, 11 until, 12 restrictions, 13, 14).
        var backNumbers = good.Select(w => w.Raw.Trim().TrimEnd('.', ',').Trim('(', ')')).Where(t => t is "9" or "10" or "11" or "12" or "13" or "14").Distinct().Count();
        // The back's columns (annex I: 9 categories, 10 from, 11 until, 12 restrictions) headed in words or by number.
        var categoryHeads = Has(good, "CATEGORIE", "CATEGORIA", "CATEGORY", "CATEGORIES")
            && (Has(good, "VALID", "VALIDA", "VALIDITA", "DAL", "FROM", "UNTIL", "CODES", "CODICI", "RESTRIZIONI", "RESTRICTIONS")
                || good.Count(w => w.Raw.Trim() is "9." or "10." or "11." or "12." or "(9)" or "(10)" or "(11)" or "(12)") >= 2);
        var licenceBack = categories >= 4 || categoryHeads && categories >= 1 || backNumbers >= 3 && categories >= 2;
        var health = Has(good, "SANITARIA") && Has(good, "TESSERA") || Has(good, "TEAM") && Has(good, "SANITARIA");
        var paperWords = Count(good, "COMUNE", "CITTADINANZA", "PROFESSIONE", "CONNOTATI", "STATURA", "RESIDENZA", "CIVILE");
        var paperOnly = Count(good, "PROFESSIONE", "CONNOTATI", "CONTRASSEGNI", "CIVILE"); // no CIE, licence or passport asks these
        var electronic = Has(good, "ELETTRONICA", "ELECTRONIC");
        var nameLabels = Count(good, "COGNOME", "SURNAME", "NOME", "NAME", "NOMI");
        var backWords = Count(good, "FISCALE", "FISCAL", "INDIRIZZO", "ADDRESS", "RESIDENZA");
        var numbers = good.Select(w => Letters(w.Norm).Length > 0 ? w.Norm.Replace(".", "").Replace("-", "") : "").ToList();
        var cieNumber = numbers.Any(n => CieNumber().IsMatch(n));
        // The paper card's cover: the Italian title (CARTA may be lost to the cover's ornament, the comune's name is there)
        // with a paper card's number, and nothing of a CIE's.
        paperCover = identity && (carta || Has(good, "COMUNE")) && !english && !electronic && numbers.Any(n => PaperNumber().IsMatch(n)) && !cieNumber;

        DocumentKind? kind = null;
        if (mrzKind is { } k) { kind = k; evidence.Add($"MRZ document code {mrz!.Result!.Fields.GetValueOrDefault("document_code")}"); }
        else if (health && !identity && !passport && !patente) { kind = DocumentKind.Other; evidence.Add("TESSERA SANITARIA"); }
        else if (passport && !patente) { kind = DocumentKind.Passport; evidence.Add("PASSAPORTO / PASSPORT"); }
        else if (patente || numbered >= 4 || categories >= 5 || categoryHeads && categories >= 1 || backNumbers >= 3 && categories >= 2)
        {
            kind = DocumentKind.DrivingLicence;
            evidence.Add(patente ? "PATENTE DI GUIDA" : numbered >= 4 ? $"{numbered} numbered licence fields" : $"{categories} licence categories" + (backNumbers >= 3 ? $" under {backNumbers} numbered columns" : ""));
        }
        else if (identity && (electronic || cieNumber || english)) { kind = DocumentKind.Cie; evidence.Add("CARTA DI IDENTITÀ / IDENTITY CARD" + (electronic ? " ELETTRONICA" : cieNumber ? ", CIE number" : "")); }
        else if (identity && carta && paperWords >= 1) { kind = DocumentKind.PaperId; evidence.Add($"CARTA D'IDENTITÀ, {paperWords} words of the paper card"); }
        // The paper card's cover: the Italian title alone (a CIE's adds IDENTITY CARD) with its number, 2 letters and 7
        // digits (a CIE's is 2 letters, 5 digits, 2 letters).
        else if (paperCover)
        { kind = DocumentKind.PaperId; evidence.Add("CARTA D'IDENTITÀ with a paper card's number"); }
        else if (identity && carta) { kind = DocumentKind.Unknown; evidence.Add("CARTA D'IDENTITÀ of an undetermined kind"); }
        // The paper card's inside prints what no other document does: Statura, Stato civile, Professione, Connotati e
        // contrassegni salienti beside the name labels, without repeating the cover's title.
        else if (paperWords >= 3 && nameLabels >= 1) { kind = DocumentKind.PaperId; evidence.Add($"{paperWords} words of the paper card's inside"); }
        // Its pale labels half lost (the names' among them): what only the paper card asks — profession, civil status,
        // distinguishing marks — with another of its words and a label of birth, issue or signature.
        else if (paperOnly >= 1 && paperWords >= 2 && Count(good, "NATO", "NATA", "EMESSA", "RILASCIATA", "FIRMA", "TITOLARE") >= 1)
        { kind = DocumentKind.PaperId; evidence.Add($"{paperWords} words of the paper card's inside, its labels partly unread"); }
        else if (nameLabels >= 2 && (backWords > 0 || carta)) { kind = DocumentKind.Unknown; evidence.Add("name labels of an identity document"); }

        var fields = new List<FieldRead>();
        if (kind is null) return new TextRead([], fields, null, mean, words.Count);
        ReadFields(good, kind.Value, asOf, fields, kind == DocumentKind.DrivingLicence && licenceBack);

        var sides = new List<TextSide>();
        var front = kind switch
        {
            DocumentKind.Passport => true,
            DocumentKind.DrivingLicence => patente || numbered >= 3 || fields.Any(f => f.Name is "surname" or "expiry_date"),
            DocumentKind.Other => true,
            DocumentKind.PaperId => nameLabels > 0 && (paperWords >= 1 || fields.Any(f => f.Name is "surname" or "given_names")) || paperOnly >= 1 && !paperCover,
            _ => nameLabels > 0 && fields.Any(f => f.Name is "surname" or "given_names" or "expiry_date" && f.Value is not null) || identity && mrz is null,
        };
        var back = kind switch
        {
            DocumentKind.Passport => false,
            DocumentKind.DrivingLicence => licenceBack,
            DocumentKind.Other => false,
            DocumentKind.Cie => mrz is not null || backWords > 0 && fields.Any(f => f.Name == "codice_fiscale"),
            // The booklet's outside: the cover's title (with the comune and the card's number) and the back cover.
            // A page may hold both (the booklet scanned open on each face, one above the other): the title far from
            // every name label (more than 40 mm, about half the booklet's page) is the outside's.
            DocumentKind.PaperId => (identity && carta || paperCover) && (nameLabels == 0 || Apart(good, ["CARTA", "IDENTITA"], ["COGNOME", "SURNAME", "NOME", "NAME", "NOMI"], 480)),
            _ => mrz is not null || backWords > 0,
        };
        // A card's front on the page of its MRZ back whose labels were too small to read (a fax): the MRZ's birth date
        // printed as a date (an MRZ writes YYMMDD) with its number or surname printed outside the MRZ lines is the front's
        // print. Claiming it wrongly costs nothing certain: the front's signature must still be found there.
        if (!front && back && kind is DocumentKind.Cie or DocumentKind.Unknown && mrz?.Result is { } onBack)
        {
            var birth = onBack.Fields.GetValueOrDefault("birth_date");
            var number = onBack.Fields.GetValueOrDefault("document_number") ?? "";
            var surname = Letters(onBack.Fields.GetValueOrDefault("surname") ?? "");
            // The date's spaces may be lost on a fax ("08101952"): compared with the MRZ's own date, its digits are enough.
            var compact = birth is { Length: 10 } ? birth[8..10] + birth[5..7] + birth[0..4] : null;
            var printedBirth = birth is { Length: > 0 } && (Lines(good).Any(l => DatesOn(l, DateRole.Birth, asOf).Any(x => Iso(x.Date) == birth))
                || good.Any(w => Regex.Replace(w.Norm, "[^0-9]", "") == compact));
            var printedNumber = number.Length >= 6 && numbers.Contains(number);
            var printedSurname = surname.Length >= 4 && good.Any(w => !w.Raw.Contains('<') && Like(w.Norm, surname));
            if (printedBirth && (printedNumber || printedSurname))
            {
                front = true;
                evidence.Add(FrontByMrzPrint + (printedNumber ? "number" : "surname") + " printed outside it");
            }
        }
        if (front) sides.Add(new TextSide(kind, DocumentSide.Front, evidence));
        if (back) sides.Add(new TextSide(kind, DocumentSide.Back, evidence));
        if (sides.Count == 0) sides.Add(new TextSide(kind, DocumentSide.Front, [.. evidence, "side not determined: taken as the front"]));
        return new TextRead(sides, fields, mrz, mean, words.Count);
    }

    /// <summary>The sides an MRZ alone proves: a passport's data page, an identity card's MRZ face (its back).</summary>
    internal static List<TextSide> FromMrz(MrzResult r, List<string> evidence)
    {
        var kind = KindOfMrz(r);
        if (kind is null) return [];
        var e = new List<string>(evidence) { $"MRZ document code {r.Fields.GetValueOrDefault("document_code")}, {r.Format}" };
        return [new TextSide(kind, kind == DocumentKind.Passport ? DocumentSide.Front : DocumentSide.Back, e)];
    }

    /// <summary>ICAO 9303: P… is a passport; I/A/C… an identity card (TD1/TD2) — the Italian CIE writes "CI"; another state's
    /// card is an identity document of a kind the procedure does not list (Unknown: a person looks).</summary>
    private static DocumentKind? KindOfMrz(MrzResult r)
    {
        var code = r.Fields.GetValueOrDefault("document_code") ?? "";
        var state = r.Fields.GetValueOrDefault("issuing_state") ?? "";
        if (code.StartsWith('P')) return DocumentKind.Passport;
        if (code.Length > 0 && code[0] is 'I' or 'C' or 'A') return state == "ITA" ? DocumentKind.Cie : DocumentKind.Unknown;
        return null;
    }

    private sealed record Label(string Field, string[][] Phrases);

    /// <summary>Labels as printed on the four documents, Italian and English; a phrase is matched word by word on one line.</summary>
    private static readonly Label[] Labels =
    [
        new("surname", [["COGNOME"], ["SURNAME"], ["NOM"]]),
        new("given_names", [["NOME"], ["NOMI"], ["GIVEN", "NAMES"], ["GIVEN", "NAME"], ["NAME"], ["PRENOMS"]]),
        new("birth_date", [["DATA", "DI", "NASCITA"], ["NASCITA"], ["DATE", "OF", "BIRTH"], ["BIRTH"], ["BORN"], ["NATO", "IL"], ["NATA", "IL"], ["NATO"], ["NATA"]]),
        new("sex", [["SESSO"], ["SEX"]]),
        new("issue_date", [["EMISSIONE"], ["RILASCIO"], ["EMESSA"], ["EMESSO"], ["RILASCIATA"], ["RILASCIATO"], ["ISSUE"], ["ISSUED"], ["ISSUING"], ["DELIVERY"]]),
        new("expiry_date", [["SCADENZA"], ["SCADE"], ["EXPIRY"], ["EXPIRES"], ["EXPIRATION"], ["VALIDA", "FINO"], ["VALID", "UNTIL"]]),
    ];

    /// <summary>A licence field's number as printed (annex I: 1 surname, 2 given names, 3 birth, 4a issue, 4b expiry, 5
    /// number), as "1." or "(1)" or "1)"; null for any other word.</summary>
    private static string? LicenceNumber(string raw) => LicenceNumberPattern().Match(raw.Trim()) is { Success: true } m
        ? m.Groups[1].Value.ToLowerInvariant() switch
        {
            "1" => "surname", "2" => "given_names", "3" => "birth_date", "4a" => "issue_date", "4b" => "expiry_date", "5" => "number", _ => null,
        }
        : null;

    [GeneratedRegex(@"^\(?([1-5]|4[abcABC])(?:\.|\)|\.\))$")]
    private static partial Regex LicenceNumberPattern();

    /// <summary>The licence's field numbers on a page's lines: "1." "(1)" "4b." as printed by annex I, and also bare
    /// ("1 SURNAME", "4a ISSUED") when a label word follows on the same line — a bare digit alone is any digit.</summary>
    private static Dictionary<Word, string> LicenceNumbers(List<List<Word>> lines)
    {
        var found = new Dictionary<Word, string>();
        foreach (var line in lines)
            for (var i = 0; i < line.Count; i++)
            {
                if (LicenceNumber(line[i].Raw) is { } field) found[line[i]] = field;
                else if (i + 1 < line.Count && (IsLabelText(line[i + 1].Norm) || Letters(line[i + 1].Norm) is "BY" or "DA" or "LICENCE" or "PATENTE" or "RILASCIATA")
                         && LicenceNumber(line[i].Raw.Trim() + ".") is { } bare) found[line[i]] = bare;
            }
        // 4b's letter is small and OCR drops it ("4."): a "4" heading a line under 4a, with no 4b read, is 4b (annex I
        // prints 4a, 4b, 4c in that order, 4c beside 4a or under 4b).
        if (!found.ContainsValue("expiry_date") && found.FirstOrDefault(x => x.Value == "issue_date").Key is { } issued)
            foreach (var line in lines)
                if (line[0].Raw.Trim() is "4." or "4" or "(4)" && line[0].Cy > issued.Cy + 0.5 * issued.Box.Height
                    && line[0].Box.X < issued.Right && line[0].Right > issued.Box.X)
                {
                    found[line[0]] = "expiry_date";
                    break;
                }
        return found;
    }

    private static void ReadFields(List<Word> words, DocumentKind kind, DateOnly asOf, List<FieldRead> fields, bool categoryGrid = false)
    {
        var lines = Lines(words);
        var numbers = kind == DocumentKind.DrivingLicence ? LicenceNumbers(lines) : [];
        // Every label found: (field, line, first word index, words in the phrase). The licence's field numbers ("1." "(1)"
        // "4b.") are labels of its fields; the printed words of every label are never a value ("COGNOME / SURNAME" is one
        // label in two languages).
        var matches = new List<(string Field, List<Word> Line, int Index, int Length)>();
        foreach (var line in lines)
            for (var i = 0; i < line.Count; i++)
            {
                if (numbers.TryGetValue(line[i], out var numbered))
                    matches.Add((numbered, line, i, 1));
                foreach (var label in Labels)
                    if (label.Phrases.FirstOrDefault(p => i + p.Length <= line.Count && p.Select((x, j) => Like(line[i + j].Norm, x) || Letters(line[i + j].Norm) == x).All(b => b)) is { } phrase)
                        matches.Add((label.Field, line, i, phrase.Length));
            }
        var labelWords = new HashSet<Word>(matches.SelectMany(m => m.Line.Skip(m.Index).Take(m.Length)));
        foreach (var w in words.Where(w => IsLabelText(w.Norm) || numbers.ContainsKey(w))) labelWords.Add(w);

        var found = new Dictionary<string, FieldRead>();
        var claimed = new Dictionary<Word, string>(); // the words each field's value was taken from
        var contested = new HashSet<Word>();
        // A licence's numbered fields first: the number says which field it is whatever the words printed after it.
        foreach (var (field, line, i, length) in matches.OrderByDescending(m => numbers.ContainsKey(m.Line[m.Index])))
        {
            if (found.ContainsKey(field) && kind == DocumentKind.DrivingLicence && !numbers.ContainsKey(line[i])) continue;
            var labelEnd = line[i + length - 1];
            var h = Math.Max(8, line.Max(w => w.Box.Height));
            // Beside: the rest of the line after the label and its translation; below: the nearest line under the label,
            // starting near its left edge.
            var beside = line.Skip(i + length).SkipWhile(w => labelWords.Contains(w) || w.Norm is "/" or "-").TakeWhile(w => !labelWords.Contains(w)).ToList();
            var candidates = new List<List<Word>>();
            if (beside.Count > 0 && beside[0].Box.X - labelEnd.Right < 12 * h) candidates.Add(beside);
            var below = lines.Where(l => l[0].Cy > labelEnd.Cy + 0.5 * h && l[0].Cy < labelEnd.Cy + 3.2 * h)
                .Select(l => l.Where(w => !labelWords.Contains(w) && w.Right > line[i].Box.X - 2 * h && w.Box.X < line[i].Box.X + 30 * h).ToList())
                .Where(l => l.Count > 0).OrderBy(l => l[0].Cy).FirstOrDefault();
            if (below is not null)
            {
                // Only the run of words beginning nearest the label's left edge (a neighbouring column is another field).
                var start = below.OrderBy(w => Math.Abs(w.Box.X - line[i].Box.X)).First();
                var run = below.SkipWhile(w => w != start).ToList();
                var cut = new List<Word> { run[0] };
                for (var j = 1; j < run.Count && run[j].Box.X - run[j - 1].Right < 2.5 * h; j++) cut.Add(run[j]);
                candidates.Add(cut);
            }
            foreach (var c in candidates)
            {
                // Words that are already another field's value are neither's: two labels reaching one value (a column of
                // labels beside a column of values, printed a little lower — measured: "26 JUN 2019" read as the issue
                // date under EMESSA and as the expiry beside SCADE) leave it ambiguous, and a wrong expiry is a false
                // reason in waiting.
                if (c.Any(contested.Contains)) continue;
                var other = c.Select(w => claimed.GetValueOrDefault(w)).FirstOrDefault(g => g is not null && g != field);
                if (other is not null && Parse(field, c, kind, asOf) is not null)
                {
                    found.Remove(other);
                    foreach (var w in claimed.Where(x => x.Value == other).Select(x => x.Key).ToList()) { claimed.Remove(w); contested.Add(w); }
                    foreach (var w in c) contested.Add(w);
                    continue;
                }
                if (Parse(field, c, kind, asOf) is { } fr && (!found.TryGetValue(field, out var prev) || fr.Confidence > prev.Confidence))
                {
                    foreach (var w in claimed.Where(x => x.Value == field).Select(x => x.Key).ToList()) claimed.Remove(w);
                    foreach (var w in c) claimed[w] = field;
                    found[field] = fr;
                    break;
                }
            }
        }
        // Dates that cannot be one document's: an issue or birth on or after the expiry, a birth on or after the issue. Which
        // of the two was misread is unknown: neither is kept.
        foreach (var (early, late) in new[] { ("issue_date", "expiry_date"), ("birth_date", "expiry_date"), ("birth_date", "issue_date") })
            if (found.TryGetValue(early, out var a) && found.TryGetValue(late, out var b) && string.CompareOrdinal(a.Value, b.Value) >= 0)
            {
                found.Remove(early);
                found.Remove(late);
            }
        // The number by its type's pattern wherever it is printed; the codice fiscale wherever a valid one is.
        if (!found.ContainsKey("number") && NumberOf(words, kind) is { } num) found["number"] = num;
        if (CodiceFiscaleOf(words, asOf) is { } cf) found["codice_fiscale"] = cf;
        // Dates without their label: on an identity document birth < issue < expiry; the latest date on the card is the
        // expiry only when it is later than every other, no label named one, and the others can be the birth and the issue:
        // three dates read, or a later one than the named issue date. Two dates alone may be the birth and the issue (the
        // expiry unread: measured on a photo whose issue date was read and expiry not — taking it would date the card
        // years too early).
        // A two-digit year's century is a guess without its role: such dates are not used here.
        var dates = lines.SelectMany(l => DatesOn(l, DateRole.Any, asOf)).Where(x => !x.ShortYear).Select(x => (w: x.First, d: (DateOnly?)x.Date, x.Raw, x.Conf)).ToList();
        // Not beside a licence's categories grid: those dates are the categories' (10. from, 11. until), not the card's 4b.
        if (!found.ContainsKey("expiry_date") && dates.Count >= 2 && !categoryGrid)
        {
            // A date its own label named (issued on, born on) is never the expiry, even when it is the latest one read.
            var named = found.Values.Where(f => f.Name is "birth_date" or "issue_date").Select(f => f.Value).ToHashSet();
            var latest = dates.OrderByDescending(x => x.d).First();
            var issued = found.GetValueOrDefault("issue_date")?.Value;
            var enough = dates.Select(x => x.d).Distinct().Count() >= 3 || issued is not null && string.CompareOrdinal(Iso(latest.d!.Value), issued) > 0;
            if (enough && dates.Count(x => x.d == latest.d) == 1 && latest.d > asOf.AddYears(-15) && !named.Contains(Iso(latest.d!.Value)))
                found["expiry_date"] = new FieldRead("expiry_date", latest.Raw, Iso(latest.d!.Value), Math.Min(latest.Conf, 0.85), default);
        }
        fields.AddRange(found.Values);
    }

    /// <summary>Long label words as OCR may slip or cut them ("COGNO", "SCADENZ"): a value is never one of them.</summary>
    private static readonly string[] LongLabels = ["COGNOME", "SURNAME", "SCADENZA", "EMISSIONE", "RILASCIO", "NASCITA", "CITTADINANZA", "NATIONALITY", "RESIDENZA", "SIGNATURE", "AUTORITA", "AUTHORITY", "EXPIRY"];

    private static bool IsLabelText(string norm)
    {
        var l = Letters(norm);
        if (l.Length >= 5 && LongLabels.Any(k => k.StartsWith(l, StringComparison.Ordinal) || Like(l, k))) return true;
        return l is "COGNOME" or "SURNAME" or "NOME" or "NOMI" or "NAME" or "NAMES" or "GIVEN" or "SESSO" or "SEX" or "SCADENZA" or "EXPIRY"
            or "EMISSIONE" or "RILASCIO" or "ISSUE" or "DATE" or "DATA" or "NASCITA" or "BIRTH" or "OF" or "DI" or "LUOGO" or "PLACE"
            or "CITTADINANZA" or "NATIONALITY" or "NATO" or "NATA" or "IL" or "STATURA" or "HEIGHT" or "FIRMA" or "SIGNATURE"
            or "NUMERO" or "NUMBER" or "AUTORITA" or "AUTHORITY" or "TIPO" or "TYPE" or "PAESE" or "COUNTRY" or "NAZIONALITA"
            or "RESIDENZA" or "INDIRIZZO" or "ADDRESS" or "CATEGORIE" or "CATEGORIES" or "VALIDA" or "FINO" or "AL" or "VALID" or "UNTIL"
            or "EXPIRATION" or "ISSUING" or "DELIVERY" or "TITOLARE" or "HOLDER" or "BORN" or "ISSUED" or "EXPIRES" or "SCADE";
    }

    private static FieldRead? Parse(string field, List<Word> value, DocumentKind kind, DateOnly asOf)
    {
        if (value.Count == 0) return null;
        var raw = string.Join(" ", value.Select(w => w.Raw));
        var conf = value.Min(w => w.Conf);
        switch (field)
        {
            case "surname" or "given_names":
                var words = value.Select(w => Regex.Replace(w.Norm, "[^A-Z']", "")).Where(w => w.Length > 0).ToList();
                // A name is letters; a date or number in the run ends it.
                words = value.TakeWhile(w => !w.Norm.Any(char.IsAsciiDigit)).Select(w => Regex.Replace(w.Norm, "[^A-Z']", "")).Where(w => w.Length > 0).ToList();
                if (words.Count == 0 || words.Count > 4 || words.Sum(w => w.Length) < 2) return null;
                return new FieldRead(field, raw, string.Join(" ", words), conf, default);
            case "sex":
                var s = Letters(value[0].Norm);
                if (s.Length == 0) return null;
                var sex = s[0] is 'M' or 'F' ? s[0] : (char?)null;
                return sex is null ? null : new FieldRead("sex", raw, sex.ToString(), conf, default);
            case "number":
                var joined = string.Concat(value.Select(w => w.Norm.Replace(" ", "")));
                var n = NumberPattern(kind).Match(kind == DocumentKind.DrivingLicence ? LicenceDigits(joined) : joined);
                return n.Success ? new FieldRead("number", raw, n.Value, conf, default) : null;
            default:
                var role = field switch { "birth_date" => DateRole.Birth, "issue_date" => DateRole.Issue, "expiry_date" => DateRole.Expiry, _ => DateRole.Any };
                if (DatesOn(value, role, asOf).FirstOrDefault(x => value.IndexOf(x.First) < 3) is not { Raw: not null } date) return null;
                if (field == "birth_date" && (date.Date > asOf.AddYears(-14) || date.Date < asOf.AddYears(-114))) return null;
                // Nothing is issued in the future: such a date is another field's (measured: a licence's expiry printed a
                // little higher than its own label, beside 4a.).
                if (field == "issue_date" && date.Date > asOf) return null;
                return new FieldRead(field, date.Raw, Iso(date.Date), date.Conf, default);
        }
    }

    private static FieldRead? NumberOf(List<Word> words, DocumentKind kind)
    {
        var pattern = NumberPattern(kind);
        foreach (var w in words.OrderByDescending(w => w.Conf))
        {
            var t = w.Norm.Replace(".", "").Replace("-", "");
            if (kind == DocumentKind.DrivingLicence) t = LicenceDigits(t);
            if (pattern.Match(t) is { Success: true } m && m.Value.Length == t.Length) return new FieldRead("number", w.Raw, m.Value, w.Conf, default);
        }
        // A number printed in two groups ("AU 4213468"): two neighbours on one line that make one whole number together.
        foreach (var line in Lines(words))
            for (var i = 0; i + 1 < line.Count; i++)
            {
                var t = (line[i].Norm + line[i + 1].Norm).Replace(".", "").Replace("-", "");
                if (kind == DocumentKind.DrivingLicence) t = LicenceDigits(t);
                if (line[i + 1].Box.X - line[i].Right < 2 * Math.Max(line[i].Box.Height, 8) && pattern.Match(t) is { Success: true } m && m.Value.Length == t.Length)
                    return new FieldRead("number", line[i].Raw + " " + line[i + 1].Raw, m.Value, Math.Min(line[i].Conf, line[i + 1].Conf), default);
            }
        return null;
    }

    private static FieldRead? CodiceFiscaleOf(List<Word> words, DateOnly asOf)
    {
        foreach (var w in words.OrderByDescending(w => w.Conf))
        {
            var t = Regex.Replace(w.Norm, "[^A-Z0-9]", "");
            if (t.Length == 16 && CodiceFiscale.Parse(t, asOf).Valid) return new FieldRead("codice_fiscale", w.Raw, t, w.Conf, default);
        }
        // A code OCR split in two (a letter-spaced print): two neighbours on one line whose letters make a valid code.
        foreach (var line in Lines(words))
            for (var i = 0; i + 1 < line.Count; i++)
            {
                var t = Regex.Replace(line[i].Norm + line[i + 1].Norm, "[^A-Z0-9]", "");
                if (t.Length == 16 && CodiceFiscale.Parse(t, asOf).Valid)
                    return new FieldRead("codice_fiscale", line[i].Raw + " " + line[i + 1].Raw, t, Math.Min(line[i].Conf, line[i + 1].Conf), default);
            }
        return null;
    }

    /// <summary>Document numbers of each type (shared/domain/README.md): CIE 2 letters, 5 digits, 2 letters; passport and paper
    /// card 2 letters, 7 digits; licence 10 characters, letters and digits.</summary>
    private static Regex NumberPattern(DocumentKind kind) => kind switch
    {
        DocumentKind.Cie => CieNumber(),
        DocumentKind.Passport or DocumentKind.PaperId => new Regex("[A-Z]{2}[0-9]{7}"),
        DocumentKind.DrivingLicence => LicenceNumberValue(),
        _ => new Regex("[A-Z]{2}[0-9]{5}[A-Z]{2}|[A-Z]{2}[0-9]{7}"),
    };

    [GeneratedRegex("[A-Z]{2}[0-9]{5}[A-Z]{2}")]
    private static partial Regex CieNumber();

    [GeneratedRegex("^[A-Z]{2}[0-9]{7}$")]
    private static partial Regex PaperNumber();

    /// <summary>An Italian licence number: ten letters and digits, one or two letters then a digit, at least three digits
    /// (the provincial "MI5123456X", the "UA1234567B" and the national "U1ABC1234D" series). A street and its number run
    /// together ("MAZZINI106") is not one.</summary>
    [GeneratedRegex("(?<![A-Z0-9])(?=[A-Z0-9]{10}(?![A-Z0-9]))(?=(?:[A-Z]*[0-9]){3})[A-Z]{1,2}[0-9][A-Z0-9]{6,8}(?![A-Z0-9])")]
    private static partial Regex LicenceNumberValue();

    /// <summary>A licence number as OCR gives it, its national series' "U1" restored where the digit was read as a letter
    /// I ("UIABC1234D"): no series begins with UI.</summary>
    private static string LicenceDigits(string t) => t.Length == 10 && t.StartsWith("UI", StringComparison.Ordinal) ? "U1" + t[2..] : t;

    /// <summary>The dates printed on a run of words (<see cref="PrintedDates"/>: one date may be one word or several), each
    /// with its first word, its words' text and their lowest confidence.</summary>
    private static List<(DateOnly Date, Word First, string Raw, double Conf, bool ShortYear)> DatesOn(List<Word> run, DateRole role, DateOnly asOf) =>
        PrintedDates.All(run.Select(w => w.Norm).ToList(), role, asOf).Select(d =>
        {
            var span = run.Skip(d.FirstWord).Take(d.WordCount).ToList();
            return (d.Date, span[0], string.Join(" ", span.Select(w => w.Raw)), span.Min(w => w.Conf), d.ShortYear);
        }).ToList();

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Words grouped into lines by vertical overlap, each line left to right.</summary>
    private static List<List<Word>> Lines(List<Word> words)
    {
        var lines = new List<List<Word>>();
        foreach (var w in words.OrderBy(w => w.Cy))
        {
            var line = lines.FirstOrDefault(l => Math.Abs(l.Average(x => x.Cy) - w.Cy) < 0.5 * Math.Max(w.Box.Height, l.Max(x => x.Box.Height)));
            if (line is null) lines.Add([w]);
            else line.Add(w);
        }
        foreach (var l in lines) l.Sort((a, b) => a.Box.X.CompareTo(b.Box.X));
        return lines;
    }
}
