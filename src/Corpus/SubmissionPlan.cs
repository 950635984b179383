using VerifyPipeline.Cases;
using PinStatus = VerifyPipeline.Rules.Facts.PinStatus;

namespace VerifyPipeline.Corpus;

public enum CorpusProfile { Realistic, Hard, Fax }

public enum Capture { Scan, Photo, Fax }

public enum Illegibility { None, Blur, Dark, Small }

public enum PageFormat { Pdf, Jpeg, Png, TiffG3, TiffG4 }

/// <summary>What is done to the bytes of the whole submission after the pages are written.</summary>
public enum FileDamage { None, Truncated, Garbage, EncryptedZip, ExternalUnreadable }

/// <summary>One thing shown on a page: <see cref="Content"/> is <c>form|id_front|id_back|passport_data|unrelated</c>;
/// <see cref="Document"/> indexes <see cref="SubmissionPlan.Documents"/>.</summary>
public sealed record PageItem(string Content, int Document, string? Side);

/// <summary>One page as the pipeline will enumerate it (global 1-based <see cref="Index"/>, <see cref="Source"/> in the
/// Unpacker/PageExtractor convention <c>bundle.zip/inner.pdf#2</c>) and every parameter used to draw it.</summary>
public sealed record PlannedPage(
    int Index, string Source, Capture Capture, int DpiX, int DpiY, IReadOnlyList<PageItem> Items,
    bool UpsideDown, float SkewDegrees, Illegibility Illegible, int JpegQuality, int Seed, IReadOnlyList<string> Transformations);

/// <summary>One file of the submission (the submission itself, or one entry of its zip).</summary>
public sealed record PlannedFile(string Name, PageFormat Format, IReadOnlyList<PlannedPage> Pages);

/// <summary>A document of the submission with its truth. <see cref="Kind"/> is <c>form</c>, <c>unrelated</c> or a
/// <see cref="DocKind"/> in snake case; exactly one of <see cref="Form"/> / <see cref="Id"/> is set for those.</summary>
public sealed record PlannedDocument(string Kind, FormTruth? Form, IdDocument? Id);

/// <summary>The filled-in form: the request it was printed from, what was written by hand, and its signature (null = unsigned).</summary>
public sealed record FormTruth(ConversionRequest Request, string Residence, string PlaceAndDate, SignatureSpec? Signature)
{
    /// <summary>The form as a running system printed it (a PNG of its <c>form.pdf</c>, A4, white paper): drawn instead of
    /// rendering the form here, so that its QR is signed with that system's key (<c>verify demo</c>). Null: rendered here.</summary>
    public byte[]? PrintedPage { get; init; }
}

public sealed record Expected(string Decision, IReadOnlyList<string> Reasons);

/// <summary>
/// Everything about one submission, decided before anything is drawn: the labels come from the plan alone, so a
/// large corpus can be labelled (and tested) without rendering. Rendering reads only the plan.
/// </summary>
public sealed record SubmissionPlan(
    int Index,
    string FileName,
    string Channel,
    ConversionRequest Request,
    PinStatus Pin,
    Person PinHolder,
    IReadOnlyDictionary<string, Person> People,
    IReadOnlyList<PlannedDocument> Documents,
    bool IsBundle,
    IReadOnlyList<PlannedFile> Files,
    FileDamage Damage,
    string? External,
    IReadOnlyList<string> Defects,
    IReadOnlyList<string> Transformations,
    Expected Expected)
{
    public IEnumerable<PlannedPage> Pages => Files.SelectMany(f => f.Pages);
}
