namespace VerifyPipeline.Cases.Forms;

/// <summary>A rectangle on the page in millimetres, origin at the top-left corner of the sheet, y downwards.</summary>
public readonly record struct MmRect(double X, double Y, double Width, double Height)
{
    public double Left => X;
    public double Top => Y;
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CentreX => X + Width / 2;
    public double CentreY => Y + Height / 2;

    /// <summary>True when the interiors overlap (touching edges do not count).</summary>
    public bool Intersects(MmRect other) =>
        Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

    public bool Contains(MmRect other) =>
        other.Left >= Left && other.Right <= Right && other.Top >= Top && other.Bottom <= Bottom;

    public MmRect Inflate(double mm) => new(X - mm, Y - mm, Width + 2 * mm, Height + 2 * mm);

    /// <summary>The pixels that cover this rectangle on a page image of the given resolution (non-square fax
    /// resolutions such as 204×98 dpi included). Rounded outwards, so the crop never loses an edge of the zone.</summary>
    public PixelRect ToPixels(double dpiX, double dpiY)
    {
        var left = (int)Math.Floor(Left * dpiX / FormLayout.MmPerInch);
        var top = (int)Math.Floor(Top * dpiY / FormLayout.MmPerInch);
        var right = (int)Math.Ceiling(Right * dpiX / FormLayout.MmPerInch);
        var bottom = (int)Math.Ceiling(Bottom * dpiY / FormLayout.MmPerInch);
        return new PixelRect(left, top, right - left, bottom - top);
    }

    public PixelRect ToPixels(double dpi) => ToPixels(dpi, dpi);
}

/// <summary>A rectangle in pixels of a page image, origin top-left.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
}

public enum ZoneKind
{
    /// <summary>A corner marker for registration after fax or photo.</summary>
    Fiducial,
    /// <summary>The QR code, quiet zone included.</summary>
    Qr,
    /// <summary>A value printed by the system from the request.</summary>
    Printed,
    /// <summary>A box the applicant fills in by hand.</summary>
    Handwritten,
    /// <summary>The applicant's signature box.</summary>
    Signature,
    /// <summary>Fixed text of the form (title, headings, declaration, instructions).</summary>
    Text,
}

/// <summary>One named zone of the form. For boxes (printed, handwritten, signature) <see cref="Rect"/> is the box
/// itself and <see cref="Label"/> is printed just above it, in <see cref="LabelRect"/>, never inside it — so a crop
/// of the zone holds only what was printed or written in it.</summary>
public sealed record FormZone(string Name, string Label, MmRect Rect, ZoneKind Kind)
{
    public bool HasBoxLabel => Kind is ZoneKind.Printed or ZoneKind.Handwritten or ZoneKind.Signature;

    /// <summary>The band above the box where the label is printed; null for zones without a box label.</summary>
    public MmRect? LabelRect => HasBoxLabel
        ? new MmRect(Rect.X, Rect.Y - FormLayout.LabelBandMm, Rect.Width, FormLayout.LabelBandMm)
        : null;

    /// <summary>The zone and its label band together: what must not overlap anything else.</summary>
    public MmRect Footprint => LabelRect is { } l ? new MmRect(Rect.X, l.Y, Rect.Width, Rect.Bottom - l.Y) : Rect;

    public PixelRect ToPixels(double dpi) => Rect.ToPixels(dpi);
    public PixelRect ToPixels(double dpiX, double dpiY) => Rect.ToPixels(dpiX, dpiY);
}

/// <summary>Zone names: stable identifiers shared by the generator, the reader and the corpus labels.
/// Field names follow the JSON of <c>POST /api/requests</c> (DESIGN.md), document fields prefixed <c>document_</c>.</summary>
public static class FormZones
{
    public const string FiducialTopLeft = "fiducial_top_left";
    public const string FiducialTopRight = "fiducial_top_right";
    public const string FiducialBottomLeft = "fiducial_bottom_left";
    public const string FiducialBottomRight = "fiducial_bottom_right";
    public const string Qr = "qr";

    public const string Header = "header";
    public const string Title = "title";
    public const string RequestId = "request_id";
    public const string ApplicantHeading = "heading_applicant";
    public const string Surname = "surname";
    public const string GivenNames = "given_names";
    public const string CodiceFiscale = "codice_fiscale";
    public const string BirthDate = "birth_date";
    public const string PinReference = "pin_reference";
    public const string BirthPlace = "birth_place";
    public const string Residence = "residence";
    public const string Phone = "phone";
    public const string Email = "email";
    public const string DocumentHeading = "heading_document";
    public const string DocumentType = "document_type";
    public const string DocumentNumber = "document_number";
    public const string DocumentIssuedBy = "document_issued_by";
    public const string DocumentIssueDate = "document_issue_date";
    public const string DocumentExpiryDate = "document_expiry_date";
    public const string DeclarationHeading = "heading_declaration";
    public const string Declaration = "declaration";
    public const string PlaceAndDate = "place_and_date";
    public const string Signature = "signature";
    public const string InstructionsHeading = "heading_instructions";
    public const string Instructions = "instructions";
}

/// <summary>
/// The layout of the request form "Richiesta di conversione del PIN online in PIN dispositivo", version
/// <see cref="Version"/>: the one description of where everything is, in millimetres on an A4 sheet
/// (210 × 297 mm, portrait). The renderer draws exactly these rectangles; the reader crops exactly these
/// rectangles after registering the page on the four fiducials. Changing a rectangle means a new form version.
/// </summary>
public static class FormLayout
{
    public const string Version = "1";
    public const double MmPerInch = 25.4;
    public const double PageWidthMm = 210, PageHeightMm = 297;

    /// <summary>Fiducials: concentric square markers, <see cref="FiducialSizeMm"/> wide, their outer edge
    /// <see cref="FiducialMarginMm"/> from the sheet's edges — inside the unprintable margin of office printers
    /// (~5 mm) and the rows a fax may lose at top and bottom. Rings from the outside: black 2 mm, white 1 mm,
    /// black 4 mm core (ratio 2:1:4:1:2 across; not the 1:1:3:1:1 of a QR finder pattern, so a QR
    /// detector is not tempted by them). All four are identical; the QR code gives the orientation.</summary>
    public const double FiducialSizeMm = 10, FiducialMarginMm = 8;
    public const double FiducialRingMm = 2, FiducialGapMm = 1;

    /// <summary>QR symbol: version 8 (49 × 49 modules) at error-correction level Q (~25 % of codewords
    /// recoverable), 0.8 mm modules and the 4-module quiet zone of ISO/IEC 18004. At fax standard resolution
    /// (204 × 98 dpi) a module is 6.4 × 3.1 pixels. The version is fixed so the symbol always has the same size;
    /// <see cref="FormQr"/> keeps payloads within its byte capacity (108 bytes at level Q).</summary>
    public const int QrVersion = 8, QrQuietZoneModules = 4;
    public const double QrModuleMm = 0.8;
    public static int QrSymbolModules => 17 + 4 * QrVersion;
    public static double QrBoxMm => (QrSymbolModules + 2 * QrQuietZoneModules) * QrModuleMm;

    /// <summary>Content column: between the fiducial columns.</summary>
    public const double ContentLeftMm = 20, ContentRightMm = 190;
    public const double LabelBandMm = 3.5, BoxHeightMm = 8, RowPitchMm = 12.5;

    /// <summary>All zones, in reading order.</summary>
    public static IReadOnlyList<FormZone> Zones { get; } = Build();

    public static IReadOnlyList<FormZone> Fiducials { get; } = Zones.Where(z => z.Kind == ZoneKind.Fiducial).ToList();

    /// <summary>The boxes of the form: printed values, handwritten boxes and the signature box.</summary>
    public static IReadOnlyList<FormZone> Boxes { get; } = Zones.Where(z => z.HasBoxLabel).ToList();

    public static FormZone Qr => Zone(FormZones.Qr);
    public static FormZone Signature => Zone(FormZones.Signature);

    public static FormZone Zone(string name) =>
        Zones.FirstOrDefault(z => z.Name == name) ?? throw new KeyNotFoundException($"form layout v{Version} has no zone '{name}'");

    /// <summary>Size of the whole page image at a resolution (non-square allowed).</summary>
    public static (int Width, int Height) PageSizePixels(double dpiX, double dpiY) =>
        ((int)Math.Round(PageWidthMm * dpiX / MmPerInch), (int)Math.Round(PageHeightMm * dpiY / MmPerInch));

    public static (int Width, int Height) PageSizePixels(double dpi) => PageSizePixels(dpi, dpi);

    public static double MmToPixels(double mm, double dpi) => mm * dpi / MmPerInch;

    public static MmRect Page => new(0, 0, PageWidthMm, PageHeightMm);

    private static List<FormZone> Build()
    {
        var zones = new List<FormZone>();
        void Add(string name, string label, ZoneKind kind, double x, double y, double w, double h) =>
            zones.Add(new FormZone(name, label, new MmRect(x, y, w, h), kind));

        const double s = FiducialSizeMm, m = FiducialMarginMm;
        Add(FormZones.FiducialTopLeft, "Riferimento in alto a sinistra", ZoneKind.Fiducial, m, m, s, s);
        Add(FormZones.FiducialTopRight, "Riferimento in alto a destra", ZoneKind.Fiducial, PageWidthMm - m - s, m, s, s);
        Add(FormZones.FiducialBottomLeft, "Riferimento in basso a sinistra", ZoneKind.Fiducial, m, PageHeightMm - m - s, s, s);
        Add(FormZones.FiducialBottomRight, "Riferimento in basso a destra", ZoneKind.Fiducial, PageWidthMm - m - s, PageHeightMm - m - s, s, s);

        const double L = ContentLeftMm, W = ContentRightMm - ContentLeftMm; // 170 mm
        const double half = 83, col2 = L + 87;                              // two columns, 4 mm gutter
        var qr = QrBoxMm;

        Add(FormZones.Header, "Intestazione", ZoneKind.Text, L, 10, W, 6);
        Add(FormZones.Title, "Titolo", ZoneKind.Text, L, 22, W - qr - 6, 18);
        Add(FormZones.Qr, "Codice QR", ZoneKind.Qr, ContentRightMm - qr, 22, qr, qr);
        Add(FormZones.RequestId, "Codice richiesta", ZoneKind.Printed, L, 48, 100, BoxHeightMm);

        // A row: label band then box; y is the top of the label band.
        double Box(double rowTop) => rowTop + LabelBandMm;

        var y = 70.0;
        Add(FormZones.ApplicantHeading, "1. Dati del richiedente", ZoneKind.Text, L, y, W, 5);
        y += 5.5;
        Add(FormZones.Surname, "Cognome", ZoneKind.Printed, L, Box(y), half, BoxHeightMm);
        Add(FormZones.GivenNames, "Nome", ZoneKind.Printed, col2, Box(y), half, BoxHeightMm);
        y += RowPitchMm;
        Add(FormZones.CodiceFiscale, "Codice fiscale", ZoneKind.Printed, L, Box(y), half, BoxHeightMm);
        Add(FormZones.BirthDate, "Data di nascita", ZoneKind.Printed, col2, Box(y), 38, BoxHeightMm);
        Add(FormZones.PinReference, "Riferimento PIN", ZoneKind.Printed, col2 + 42, Box(y), 41, BoxHeightMm);
        y += RowPitchMm;
        Add(FormZones.BirthPlace, "Luogo di nascita", ZoneKind.Printed, L, Box(y), half, BoxHeightMm);
        Add(FormZones.Residence, "Residenza (indirizzo, CAP, comune) — da compilare a mano", ZoneKind.Handwritten, col2, Box(y), half, BoxHeightMm);
        y += RowPitchMm;
        Add(FormZones.Phone, "Telefono", ZoneKind.Printed, L, Box(y), 50, BoxHeightMm);
        Add(FormZones.Email, "E-mail", ZoneKind.Printed, L + 54, Box(y), W - 54, BoxHeightMm);
        y += RowPitchMm;

        y += 1;
        Add(FormZones.DocumentHeading, "2. Documento di identità", ZoneKind.Text, L, y, W, 5);
        y += 5.5;
        Add(FormZones.DocumentType, "Tipo di documento", ZoneKind.Printed, L, Box(y), half, BoxHeightMm);
        Add(FormZones.DocumentNumber, "Numero del documento", ZoneKind.Printed, col2, Box(y), half, BoxHeightMm);
        y += RowPitchMm;
        Add(FormZones.DocumentIssuedBy, "Rilasciato da", ZoneKind.Printed, L, Box(y), half, BoxHeightMm);
        Add(FormZones.DocumentIssueDate, "Data di rilascio", ZoneKind.Printed, col2, Box(y), 38, BoxHeightMm);
        Add(FormZones.DocumentExpiryDate, "Data di scadenza", ZoneKind.Printed, col2 + 42, Box(y), 41, BoxHeightMm);
        y += RowPitchMm;

        y += 1;
        Add(FormZones.DeclarationHeading, "3. Dichiarazione", ZoneKind.Text, L, y, W, 5);
        y += 5.5;
        Add(FormZones.Declaration, "Dichiarazione", ZoneKind.Text, L, y, W, 34);
        y += 35;

        Add(FormZones.PlaceAndDate, "Luogo e data", ZoneKind.Handwritten, L, Box(y), 70, 10);
        Add(FormZones.Signature, "Firma del richiedente", ZoneKind.Signature, L + 80, Box(y), W - 80, 30);
        y = Box(y) + 30 + 2;

        Add(FormZones.InstructionsHeading, "4. Istruzioni per l'invio", ZoneKind.Text, L, y, W, 5);
        y += 5.5;
        Add(FormZones.Instructions, "Istruzioni", ZoneKind.Text, L, y, W, PageHeightMm - FiducialMarginMm - FiducialSizeMm - 1 - y);
        return zones;
    }
}
