using PinStatus = VerifyPipeline.Rules.Facts.PinStatus;
using System.Globalization;
using System.Text;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Corpus;

/// <summary>Options of one corpus. <see cref="AsOf"/> is the evaluation date every expiry label is computed against.</summary>
public sealed record CorpusOptions(int Count, int Seed, CorpusProfile Profile, DateOnly AsOf, string HmacKey)
{
    public static readonly DateOnly DefaultAsOf = new(2026, 11, 23);
}

/// <summary>
/// Decides everything about submission <c>i</c> of a corpus from (seed, i, profile, as-of) alone, with its own
/// <see cref="Random"/>: plans are independent of each other and of rendering, so they can be made in any order, in
/// parallel, or without rendering at all (labels only).
/// </summary>
public static class CorpusPlanner
{
    /// <summary>External files used by reference, relative to <c>shared/testdata/real</c> (never copied into the repository:
    /// their licences and contents are not ours). Encrypted archives → UNREADABLE_FILE; readable archives of unrelated
    /// files → FORM_MISSING + ID_MISSING.</summary>
    public static readonly string[] ExternalEncryptedFiles =
    [
        "01_archives_sharpcompress/Rar.Encrypted.rar",
        "01_archives_sharpcompress/Rar5.encrypted_filesAndHeader.rar",
        "01_archives_sharpcompress/7Zip.LZMA.Aes.7z",
        "05_pdf/encrypted/qpdf__enc-R3_V2_U-view_O-master.pdf",
    ];

    public static readonly string[] ExternalOtherFiles =
    [
        "01_archives_sharpcompress/Rar.rar",
        "01_archives_sharpcompress/Rar4.rar",
        "01_archives_sharpcompress/Rar5.comment.rar",
    ];

    public static int SubmissionSeed(int seed, int index)
    {
        unchecked
        {
            var h = (uint)seed * 0x9E3779B1u ^ ((uint)index + 0x7F4A7C15u) * 0x85EBCA77u;
            h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
            return (int)(h & 0x7FFFFFFF);
        }
    }

    /// <param name="indexPrefix">false names the file after its case only (<c>fax-204x98-g3-cie-form-unsigned.tif</c>),
    /// for hand-picked test data; the plan is otherwise the same.</param>
    public static SubmissionPlan Plan(CorpusOptions o, int index, bool indexPrefix = true)
    {
        var rng = new Random(SubmissionSeed(o.Seed, index));
        var hard = o.Profile == CorpusProfile.Hard;
        var defects = ChooseDefects(rng, o.Profile, index);
        bool Has(string d) => defects.Contains(d);

        var fileDefect = defects.FirstOrDefault(d => d is Defects.FileGarbage or Defects.FileEncryptedZip or Defects.ExternalEncrypted or Defects.ExternalOther);
        var fax = fileDefect is null && (o.Profile == CorpusProfile.Fax || rng.NextDouble() < (hard ? 0.3 : 0.2));
        var omocodia = hard ? 0.15 : 0.04;

        var people = new Dictionary<string, Person>();
        Person NewPerson(string role, string? surname = null, char? sex = null)
        {
            var p = People.Create(rng, $"s{index:D5}-{role}", o.AsOf, omocodia, surname, sex);
            people[p.Id] = p;
            return p;
        }
        var holder = NewPerson("holder");

        var pin = Has(Defects.PinDispositivo) ? PinStatus.Dispositivo
            : Has(Defects.PinRevoked) ? PinStatus.Revoked
            : Has(Defects.PinUnknown) ? PinStatus.Unknown
            : PinStatus.Online;

        // ---- the identity document ----
        var kind = ChooseKind(rng, defects, o.AsOf);
        var docHolder = Has(Defects.OtherPersonsDocument)
            ? NewPerson("other", rng.NextDouble() < 0.5 ? holder.Surname : null, rng.NextDouble() < 0.7 ? holder.Sex : null)
            : holder;
        var idSignature = Has(Defects.IdSignatureAbsent) ? null
            : new SignatureSpec(docHolder.Id, docHolder.Id, SignatureKind.Genuine, rng.Next());
        var id = IdDocuments.Create(rng, kind, docHolder, o.AsOf, Has(Defects.IdExpired), idSignature);
        IdDocument? healthCard = Has(Defects.HealthCardInstead)
            ? IdDocuments.Create(rng, DocKind.HealthCard, holder, o.AsOf, false, null) : null;

        // ---- the declared request: the holder's data, the document they say they send ----
        var declaredDoc = id;
        if (Has(Defects.OtherPersonsDocument) && rng.NextDouble() < 0.5)
            declaredDoc = IdDocuments.Create(rng, kind, holder, o.AsOf, false, null); // they declared their own document
        var declaredNumber = Has(Defects.NumberTypo) ? IdDocuments.Mistype(rng, declaredDoc.Number) : declaredDoc.Number;
        var declaredExpiry = Has(Defects.ExpiryDiffers) ? ShiftDate(rng, declaredDoc.ExpiryDate) : declaredDoc.ExpiryDate;
        var declaredCf = holder.CodiceFiscale;
        if (Has(Defects.OtherPersonsCf))
            declaredCf = NewPerson("relative", holder.Surname).CodiceFiscale; // a relative's code, typed from their card
        var requestId = Hex(rng, 32);
        var created = new DateTimeOffset(o.AsOf.AddDays(-rng.Next(1, 20)).ToDateTime(new TimeOnly(9 + rng.Next(9), rng.Next(60))), TimeSpan.FromHours(1));
        var data = new RequestData(
            "PIN-" + Base32(rng, 8), declaredCf, holder.Surname, holder.GivenNames, holder.BirthDate, holder.BirthPlaceDisplay,
            rng.NextDouble() < 0.8 ? holder.Email : null,
            rng.NextDouble() < 0.7 ? $"+39 3{rng.Next(20, 99)} {rng.Next(100, 999)} {rng.Next(1000, 9999)}" : null,
            new DeclaredDocument(declaredDoc.ApiType ?? "cie", declaredNumber, declaredDoc.IssuedBy, declaredDoc.IssueDate, declaredExpiry));
        var request = new ConversionRequest(requestId, "corpus", created, data);

        // ---- the signed form ----
        SignatureSpec? formSignature;
        if (Has(Defects.FormUnsigned)) formSignature = null;
        else if (Has(Defects.RandomForgery))
        {
            var forger = NewPerson("forger");
            formSignature = new SignatureSpec(forger.Id, forger.Id, SignatureKind.RandomForgery, rng.Next());
        }
        else if (Has(Defects.SkilledForgery))
        {
            var forger = NewPerson("forger");
            formSignature = new SignatureSpec(docHolder.Id, forger.Id, SignatureKind.SkilledForgery, rng.Next());
        }
        else formSignature = new SignatureSpec(holder.Id, holder.Id, SignatureKind.Genuine, rng.Next());
        var town = holder.Town;
        var signedOn = DateOnly.FromDateTime(created.DateTime).AddDays(rng.Next(0, 4));
        var form = new FormTruth(request, holder.Residence, $"{town}, {signedOn:dd/MM/yyyy}", formSignature);

        var documents = new List<PlannedDocument>
        {
            new("form", form, null),
            healthCard is null ? new(Snake(id.Kind), null, id) : new(Snake(DocKind.HealthCard), null, healthCard),
        };
        const int FormDoc = 0, IdDoc = 1;
        var external = fileDefect switch
        {
            Defects.ExternalEncrypted => ExternalEncryptedFiles[rng.Next(ExternalEncryptedFiles.Length)],
            Defects.ExternalOther => ExternalOtherFiles[rng.Next(ExternalOtherFiles.Length)],
            _ => null,
        };

        // ---- logical pages: what is shown, in which order ----
        var items = new List<List<PageItem>>();
        if (!Has(Defects.FormMissing)) items.Add([new PageItem("form", FormDoc, null)]);
        var card = healthCard ?? id;
        if (!Has(Defects.IdMissing))
        {
            if (!card.HasSides) items.Add([new PageItem("passport_data", IdDoc, "data")]);
            else
            {
                var sides = new List<PageItem>();
                if (!Has(Defects.IdFrontMissing)) sides.Add(new PageItem("id_front", IdDoc, "front"));
                if (!Has(Defects.IdBackMissing)) sides.Add(new PageItem("id_back", IdDoc, "back"));
                items.Add(sides); // split below when the capture puts one side per page
            }
        }
        var extraChance = hard ? 0.2 : 0.07;
        var extras = (Has(Defects.FormMissing) && Has(Defects.IdMissing) ? 1 : 0) + (rng.NextDouble() < extraChance ? 1 : 0);
        if (extras > 0) documents.Add(new PlannedDocument("unrelated", null, null));
        for (var e = 0; e < extras; e++) items.Insert(rng.Next(items.Count + 1), [new PageItem("unrelated", documents.Count - 1, null)]);
        if (items.Count > 1 && rng.NextDouble() < 0.15) (items[0], items[^1]) = (items[^1], items[0]); // ID first, form last

        // ---- capture and packaging ----
        var transformations = new List<string>();
        string channel = fax ? "fax" : "portal";
        Capture[] captures;
        var pageGroups = new List<List<PageItem>>();
        var cardsTogether = rng.NextDouble() < (fax ? 0.7 : 0.5);
        var mode = fax ? "fax" : Pick(rng, ("scan", 55), ("photo", 25), ("mixed", 20));
        foreach (var g in items)
        {
            var isCard = g.Any(i => i.Content is "id_front" or "id_back");
            var split = isCard && g.Count == 2 && (mode == "photo" || mode == "mixed" || !cardsTogether);
            if (split) { pageGroups.Add([g[0]]); pageGroups.Add([g[1]]); }
            else if (g.Count > 0) pageGroups.Add(g);
        }
        captures = pageGroups.Select(g => mode switch
        {
            "fax" => Capture.Fax,
            "scan" => Capture.Scan,
            "photo" => Capture.Photo,
            _ => g.Any(i => i.Content == "form") ? Capture.Scan : Capture.Photo,
        }).ToArray();

        var scanDpi = Pick(rng, (150, 35), (200, 45), (300, 20));
        var faxDpiY = rng.NextDouble() < 0.6 ? 98 : 196;
        var faxFormat = rng.NextDouble() < 0.5 ? PageFormat.TiffG3 : PageFormat.TiffG4;

        // Illegible: the form when nothing else must be read on it, otherwise the document (Defects.Compatible).
        var illegible = defects.Contains(Defects.IllegibleBlur) ? Illegibility.Blur
            : defects.Contains(Defects.IllegibleDark) ? Illegibility.Dark
            : defects.Contains(Defects.IllegibleSmall) ? Illegibility.Small : Illegibility.None;
        var illegibleGroup = -1;
        if (illegible != Illegibility.None)
        {
            var formFree = !Has(Defects.FormMissing) && !Has(Defects.FormUnsigned) && !Has(Defects.RandomForgery) && !Has(Defects.SkilledForgery);
            illegibleGroup = pageGroups.FindIndex(g => g.Any(i => formFree ? i.Content == "form" : i.Document == IdDoc));
        }
        var upsideChance = hard ? 0.15 : 0.05;

        // Packaging of a portal upload: one PDF, a zip of files, or a lone image when there is a single page.
        var packaging = fax ? "tiff"
            : fileDefect == Defects.FileEncryptedZip ? "zip"
            : pageGroups.Count == 1 && rng.NextDouble() < 0.6 ? (captures[0] == Capture.Photo || rng.NextDouble() < 0.7 ? "jpeg" : "png")
            : mode == "scan" ? Pick(rng, ("pdf", 80), ("zip", 20))
            : Pick(rng, ("pdf", 45), ("zip", 55));
        // Damaged files must be damaged beyond reading: a cut JPEG still decodes (grey at the bottom), a cut PDF or zip does not.
        if (Has(Defects.FileGarbage) || (Has(Defects.FileTruncated) && packaging is "jpeg" or "png")) packaging = "pdf";

        var slug = external is not null
            ? "external-" + string.Join("+", defects.Select(d => d.Replace('_', '-')))
            : Slug(channel, packaging, mode, fax ? faxDpiY : 0, faxFormat, card.Kind, defects);
        var baseName = indexPrefix ? $"{index:D4}-{slug}" : slug;
        var ext = packaging switch { "tiff" => ".tif", "jpeg" => ".jpg", "png" => ".png", "zip" => ".zip", _ => ".pdf" };
        var fileName = external is not null ? baseName + Path.GetExtension(external) : baseName + ext;

        var files = new List<PlannedFile>();
        if (external is null)
        {
            var pages = new List<(PlannedPage Page, string InnerName)>();
            for (var gi = 0; gi < pageGroups.Count; gi++)
            {
                var g = pageGroups[gi];
                var capture = captures[gi];
                var t = new List<string>();
                var (dx, dy) = capture switch
                {
                    Capture.Fax => (204, faxDpiY),
                    Capture.Scan => (scanDpi, scanDpi),
                    _ => (0, 0),
                };
                var ill = gi == illegibleGroup ? illegible : Illegibility.None;
                if (capture == Capture.Scan && ill == Illegibility.Small) (dx, dy) = (40, 40);
                var upside = rng.NextDouble() < upsideChance;
                var skew = capture == Capture.Photo ? 0f : (float)Math.Round((rng.NextDouble() * 2 - 1) * (hard ? 3.0 : 1.5), 2);
                var quality = capture == Capture.Fax ? 0 : rng.Next(55, 93);
                switch (capture)
                {
                    case Capture.Scan: t.Add($"scan {dx} dpi"); t.Add($"skew {skew.ToString("0.##", CultureInfo.InvariantCulture)} deg"); t.Add("scanner noise"); t.Add($"jpeg q{quality}"); break;
                    case Capture.Photo: t.Add("phone photo"); t.Add("perspective"); t.Add("uneven light"); t.Add("on a table"); t.Add($"jpeg q{quality}"); break;
                    case Capture.Fax:
                        t.Add($"fax 204x{faxDpiY}"); t.Add($"skew {skew.ToString("0.##", CultureInfo.InvariantCulture)} deg"); t.Add("bilevel");
                        t.Add(faxFormat == PageFormat.TiffG3 ? "ccitt g3" : "ccitt g4"); break;
                }
                if (g.Count == 2) t.Add("card front and back on one page");
                if (upside) t.Add("upside-down");
                if (ill != Illegibility.None) t.Add("illegible: " + ill.ToString().ToLowerInvariant());
                var innerName = InnerName(g, capture, gi);
                pages.Add((new PlannedPage(0, "", capture, dx, dy, g, upside, skew, ill, quality, rng.Next(), t), innerName));
            }

            if (packaging == "zip")
            {
                // A zip of files: in mixed mode the form as its own PDF, each photo as a JPEG; otherwise one file per page.
                var n = 0;
                foreach (var (page, inner) in pages)
                {
                    var format = page.Capture == Capture.Scan && rng.NextDouble() < 0.5 ? PageFormat.Pdf : PageFormat.Jpeg;
                    var name = inner + (format == PageFormat.Pdf ? ".pdf" : ".jpg");
                    var source = $"{fileName}/{name}" + (format == PageFormat.Pdf ? "#1" : "");
                    files.Add(new PlannedFile(name, format, [page with { Index = ++n, Source = source }]));
                }
                transformations.Add($"zip of {files.Count} files");
            }
            else
            {
                var format = packaging switch
                {
                    "tiff" => faxFormat, "jpeg" => PageFormat.Jpeg, "png" => PageFormat.Png, _ => PageFormat.Pdf,
                };
                var multi = format is PageFormat.Pdf or PageFormat.TiffG3 or PageFormat.TiffG4;
                var n = 0;
                var list = pages.Select(p => p.Page with { Index = ++n, Source = multi ? $"{fileName}#{n}" : fileName }).ToList();
                files.Add(new PlannedFile(fileName, format, list));
                transformations.Add(format switch
                {
                    PageFormat.Pdf => $"one pdf of {list.Count} page(s)",
                    PageFormat.TiffG3 or PageFormat.TiffG4 => $"multi-page fax tiff of {list.Count} page(s)",
                    _ => "single image",
                });
            }
        }
        var damage = fileDefect == Defects.FileEncryptedZip ? FileDamage.EncryptedZip
            : fileDefect == Defects.ExternalEncrypted ? FileDamage.ExternalUnreadable
            : Has(Defects.FileTruncated) ? FileDamage.Truncated
            : Has(Defects.FileGarbage) ? FileDamage.Garbage : FileDamage.None;
        if (damage != FileDamage.None) transformations.Add(damage switch
        {
            FileDamage.Truncated => "truncated (interrupted transfer)",
            FileDamage.Garbage => "not a document: random bytes behind a PDF header",
            FileDamage.ExternalUnreadable => "encrypted archive or PDF (password unknown)",
            _ => "zip entries encrypted (ZipCrypto, password unknown)",
        });
        if (external is not null) transformations.Add("external file by reference: shared/testdata/real/" + external);

        var expected = Expectations.Derive(pin, holder, data, documents, files.SelectMany(f => f.Pages), damage,
            fileDefect == Defects.ExternalOther, o.AsOf);
        return new SubmissionPlan(index, fileName, channel, request, pin, holder, people, documents, packaging == "zip", files,
            damage, external, defects, transformations, expected);
    }

    private static List<string> ChooseDefects(Random rng, CorpusProfile profile, int index)
    {
        var fax = profile == CorpusProfile.Fax;
        var all = Defects.All.Select(d => d.Defect).Where(d => !fax || d is not (Defects.FileGarbage or Defects.FileEncryptedZip or Defects.ExternalEncrypted or Defects.ExternalOther)).ToList();
        if (profile == CorpusProfile.Hard)
        {
            // Every third submission is one defect alone, cycling through all of them; the rest combine 2–3 at random.
            if (index % 3 == 0) return [all[index / 3 % all.Count]];
            if (rng.NextDouble() < 0.05) return [];
            var want = rng.NextDouble() < 0.6 ? 2 : 3;
            for (var attempt = 0; ; attempt++)
            {
                var set = new List<string>();
                while (set.Count < want) { var d = all[rng.Next(all.Count)]; if (!set.Contains(d)) set.Add(d); }
                if (Defects.Compatible(set, fax: false)) return set;
                if (attempt > 200) want = 1;
            }
        }
        // Realistic and fax: most requests are fine; a defect now and then, rarely two.
        if (rng.NextDouble() < 0.72) return [];
        var weights = Defects.RealisticWeights.Where(w => all.Contains(w.Key)).ToList();
        string Draw()
        {
            var total = weights.Sum(w => w.Value);
            var r = rng.Next(total);
            foreach (var (d, w) in weights) { if (r < w) return d; r -= w; }
            return weights[^1].Key;
        }
        var first = Draw();
        if (rng.NextDouble() < 0.85) return [first];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var second = Draw();
            if (second != first && Defects.Compatible([first, second], fax)) return [first, second];
        }
        return [first];
    }

    private static DocKind ChooseKind(Random rng, List<string> defects, DateOnly asOf)
    {
        if (defects.Contains(Defects.PaperIdAfterCutoff)) return DocKind.PaperId;
        var sided = defects.Contains(Defects.IdBackMissing) || defects.Contains(Defects.IdFrontMissing);
        var paperOk = asOf <= IdDocuments.PaperIdNotValidAfter;
        return Pick(rng,
            (DocKind.Cie, 60), (DocKind.DrivingLicence, 22), (DocKind.Passport, sided ? 0 : 12), (DocKind.PaperId, paperOk ? 6 : 0));
    }

    private static DateOnly ShiftDate(Random rng, DateOnly d) => rng.Next(3) switch
    {
        0 => d.AddYears(rng.Next(2) == 0 ? 1 : -1),
        1 when d.Day <= 12 && d.Day != d.Month => new DateOnly(d.Year, d.Day, Math.Min(d.Month, DateTime.DaysInMonth(d.Year, d.Day))), // day and month swapped
        _ => d.AddDays(rng.Next(2) == 0 ? 1 : -1),
    };

    private static string InnerName(List<PageItem> g, Capture capture, int i)
    {
        var what = g.Count == 2 ? "documento-fronte-retro"
            : g[0].Content switch
            {
                "form" => "modulo", "id_front" => "documento-fronte", "id_back" => "documento-retro",
                "passport_data" => "passaporto", _ => "allegato",
            };
        return capture == Capture.Photo ? $"IMG_{2041 + i * 7:D4}-{what}" : $"{i + 1:D2}-{what}";
    }

    private static string Slug(string channel, string packaging, string mode, int faxDpiY, PageFormat faxFormat, DocKind kind, List<string> defects)
    {
        var parts = new List<string>();
        if (channel == "fax") parts.Add($"fax-204x{faxDpiY}-{(faxFormat == PageFormat.TiffG3 ? "g3" : "g4")}");
        else parts.Add($"{packaging}-{mode}");
        parts.Add(Snake(kind).Replace('_', '-'));
        parts.Add(defects.Count == 0 ? "ok" : string.Join("+", defects.Select(d => d.Replace('_', '-'))));
        return string.Join("-", parts);
    }

    internal static string Snake(DocKind kind) => kind switch
    {
        DocKind.Cie => "cie", DocKind.Passport => "passport", DocKind.DrivingLicence => "driving_licence",
        DocKind.PaperId => "paper_id", _ => "health_card",
    };

    private static T Pick<T>(Random rng, params (T Value, int Weight)[] choices)
    {
        var r = rng.Next(choices.Sum(c => c.Weight));
        foreach (var (v, w) in choices) { if (r < w) return v; r -= w; }
        return choices[^1].Value;
    }

    private static string Hex(Random rng, int n)
    {
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++) sb.Append("0123456789abcdef"[rng.Next(16)]);
        return sb.ToString();
    }

    private static string Base32(Random rng, int n)
    {
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++) sb.Append("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[rng.Next(32)]);
        return sb.ToString();
    }
}
