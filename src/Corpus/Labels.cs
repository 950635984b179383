using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Corpus;

/// <summary>One line of <c>labels.jsonl</c> (snake_case; docs/corpus.md describes every field).</summary>
public sealed record SubmissionLabel(
    string? File,
    string? External,
    int Index,
    string Profile,
    int Seed,
    string AsOf,
    string Channel,
    RequestLabel Request,
    PinLabel Pin,
    IReadOnlyList<PersonLabel> People,
    IReadOnlyList<DocumentLabel> Documents,
    IReadOnlyList<PageLabel> Pages,
    ExpectedLabel Expected,
    IReadOnlyList<string> Defects,
    IReadOnlyList<string> Transformations);

/// <summary>The declared request, in the shape of <c>POST /api/requests</c> plus its id.</summary>
public sealed record RequestLabel(
    string Id, string PinReference, string CodiceFiscale, string Surname, string GivenNames, DateOnly BirthDate,
    string? BirthPlace, string? Email, string? Phone, DeclaredDocumentLabel Document, string QrPayload);

public sealed record DeclaredDocumentLabel(string Type, string Number, string? IssuedBy, DateOnly? IssueDate, DateOnly ExpiryDate);

/// <summary>The PIN registry entry the request refers to: <see cref="CodiceFiscale"/> is the PIN holder's code.</summary>
public sealed record PinLabel(string Reference, string CodiceFiscale, string Status);

public sealed record PersonLabel(
    string Id, string Role, string Surname, string GivenNames, string Sex, DateOnly BirthDate, string BirthPlaceCode,
    string BirthPlace, string CodiceFiscale, string CanonicalCodiceFiscale, int OmocodiaVariant);

public sealed record SignatureLabel(string Kind, string ShapeOf, string WrittenBy);

public sealed record DocumentPageRef(int Page, string? Side);

public sealed record DocumentLabel(
    int Index, string Kind, string? Holder, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<string>? Mrz,
    SignatureLabel? Signature, IReadOnlyList<DocumentPageRef> Pages);

public sealed record PageContentLabel(string Kind, int Document, string? Side);

public sealed record PageLabel(
    int Index, string File, string Source, string Capture, int? DpiX, int? DpiY, IReadOnlyList<PageContentLabel> Content,
    bool UpsideDown, float SkewDegrees, string? Illegible, IReadOnlyList<string> Transformations);

public sealed record ExpectedLabel(string Decision, IReadOnlyList<string> Reasons);

public static class Labels
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static SubmissionLabel From(SubmissionPlan plan, CorpusOptions o)
    {
        var r = plan.Request;
        var d = r.Data;
        var request = new RequestLabel(r.Id, d.PinReference, d.CodiceFiscale, d.Surname, d.GivenNames, d.BirthDate, d.BirthPlace,
            d.Email, d.Phone,
            new DeclaredDocumentLabel(d.Document.Type, d.Document.Number, d.Document.IssuedBy, d.Document.IssueDate, d.Document.ExpiryDate),
            FormRenderer.QrPayload(r, new FormRenderOptions(o.HmacKey)));

        var people = plan.People.Values.Select(p => new PersonLabel(
            p.Id, p.Id[(p.Id.IndexOf('-') + 1)..], p.Surname, p.GivenNames, p.Sex.ToString(), p.BirthDate, p.BirthPlaceCode,
            p.BirthPlaceDisplay, p.CodiceFiscale, p.CanonicalCodiceFiscale, p.OmocodiaIndex)).ToList();

        var pages = new List<PageLabel>();
        foreach (var f in plan.Files)
            foreach (var p in f.Pages)
                pages.Add(new PageLabel(p.Index, plan.IsBundle ? $"{plan.FileName}/{f.Name}" : f.Name, p.Source,
                    p.Capture.ToString().ToLowerInvariant(), p.DpiX > 0 ? p.DpiX : null, p.DpiY > 0 ? p.DpiY : null,
                    p.Items.Select(i => new PageContentLabel(i.Content, i.Document, i.Side)).ToList(),
                    p.UpsideDown, p.SkewDegrees, p.Illegible == Illegibility.None ? null : p.Illegible.ToString().ToLowerInvariant(),
                    p.Transformations));
        // In a bundle, page indexes restart per file; the global order is the order of this list.
        var globalIndex = 0;
        pages = pages.Select(p => p with { Index = ++globalIndex }).ToList();

        var documents = new List<DocumentLabel>();
        for (var i = 0; i < plan.Documents.Count; i++)
        {
            var doc = plan.Documents[i];
            var refs = pages.SelectMany(p => p.Content.Where(c => c.Document == i).Select(c => new DocumentPageRef(p.Index, c.Side))).ToList();
            if (doc.Form is { } form)
            {
                var fields = FormRenderer.PrintedValues(form.Request).ToDictionary(kv => kv.Key, kv => kv.Value);
                fields[FormZones.Residence] = form.Residence;
                fields[FormZones.PlaceAndDate] = form.PlaceAndDate;
                documents.Add(new DocumentLabel(i, "form", plan.PinHolder.Id, fields, null, Signature(form.Signature), refs));
            }
            else if (doc.Id is { } id)
            {
                var h = id.Holder;
                var fields = new Dictionary<string, string>
                {
                    ["surname"] = h.Surname, ["given_names"] = h.GivenNames, ["birth_date"] = Iso(h.BirthDate),
                    ["birth_place"] = h.BirthPlaceDisplay, ["sex"] = h.Sex.ToString(),
                    ["document_type"] = doc.Kind, ["document_number"] = id.Number, ["issued_by"] = id.IssuedBy,
                    ["issue_date"] = Iso(id.IssueDate), ["expiry_date"] = Iso(id.ExpiryDate),
                };
                if (id.Kind is DocKind.Cie or DocKind.HealthCard) fields["codice_fiscale"] = h.CodiceFiscale;
                if (id.Kind is DocKind.Cie or DocKind.PaperId) fields["residence"] = h.Residence;
                documents.Add(new DocumentLabel(i, doc.Kind, h.Id, fields, id.Mrz, Signature(id.Signature), refs));
            }
            else documents.Add(new DocumentLabel(i, doc.Kind, null, new Dictionary<string, string>(), null, null, refs));
        }

        var transformations = plan.Transformations.Concat(pages.SelectMany(p => p.Transformations)).Distinct().ToList();
        return new SubmissionLabel(
            plan.External is null ? plan.FileName : null, plan.External, plan.Index,
            o.Profile.ToString().ToLowerInvariant(), o.Seed, Iso(o.AsOf), plan.Channel, request,
            new PinLabel(d.PinReference, plan.PinHolder.CodiceFiscale, plan.Pin.ToString().ToLowerInvariant()),
            people, documents, pages, new ExpectedLabel(plan.Expected.Decision, plan.Expected.Reasons), plan.Defects, transformations);
    }

    private static SignatureLabel? Signature(SignatureSpec? s) => s is null ? null
        : new SignatureLabel(s.Kind switch
        {
            SignatureKind.Genuine => "genuine",
            SignatureKind.RandomForgery => "random_forgery",
            _ => "skilled_forgery",
        }, s.ShapeOf, s.WrittenBy);

    public static string ToJsonLine(SubmissionLabel label) => JsonSerializer.Serialize(label, Json);
}
