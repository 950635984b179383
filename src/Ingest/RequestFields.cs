using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.RegularExpressions;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Ingest;

/// <summary>What each field of <c>POST /api/requests</c> may hold: the characters the form's fonts print and the reader
/// expects, and at most as many as the field's box on the form can hold (<see cref="FormRenderer.MaxChars"/>). A value
/// the form cannot print is refused here, naming the field, instead of failing later at <c>form.pdf</c> (issue 11).
/// Messages name fields and limits, never the value.</summary>
public static partial class RequestFields
{
    /// <summary>Largest JSON body of <c>POST /api/requests</c>: every field at its limit fits in a few KiB.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static readonly int SurnameMax = FormRenderer.MaxChars(FormZones.Surname);
    public static readonly int GivenNamesMax = FormRenderer.MaxChars(FormZones.GivenNames);
    public static readonly int BirthPlaceMax = FormRenderer.MaxChars(FormZones.BirthPlace);
    public static readonly int PinReferenceMax = Math.Min(32, FormRenderer.MaxChars(FormZones.PinReference));
    public static readonly int EmailMax = Math.Min(254, FormRenderer.MaxChars(FormZones.Email)); // RFC 5321 path limit
    public static readonly int PhoneMax = Math.Min(32, FormRenderer.MaxChars(FormZones.Phone));
    public static readonly int DocumentNumberMax = Math.Min(32, FormRenderer.MaxChars(FormZones.DocumentNumber));
    public static readonly int IssuedByMax = FormRenderer.MaxChars(FormZones.DocumentIssuedBy);

    /// <summary>Adds an error for <paramref name="field"/> when its value is not allowed; null and blank are left to the
    /// caller (required or optional). The value is checked as printed: NFC, so a decomposed "í" counts as one letter.</summary>
    internal static void Check(Dictionary<string, string> errors, string field, string? value, FieldKind kind, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(value) || errors.ContainsKey(field)) return;
        if (value.Any(char.IsControl)) { errors[field] = $"{field} must not contain control characters (tab, new line, …)."; return; }
        string v;
        try { v = value.Trim().Normalize(NormalizationForm.FormC); }
        catch (ArgumentException) { errors[field] = $"{field} is not valid Unicode text."; return; } // a lone surrogate
        if (v.Length > maxChars) { errors[field] = $"{field} must be at most {maxChars} characters (what its box on the form can print)."; return; }
        var ok = kind switch
        {
            FieldKind.Name => v.All(IsNameChar) && v.Any(IsLetter),
            FieldKind.Place => v.All(c => IsNameChar(c) || char.IsAsciiDigit(c) || c is '(' or ')' or ',' or '/') && v.Any(IsLetter),
            FieldKind.Code => CodeShape().IsMatch(v),
            FieldKind.Phone => PhoneShape().IsMatch(v),
            FieldKind.Email => v.All(c => c is > ' ' and < '\u007f') && new EmailAddressAttribute().IsValid(v),
            _ => false,
        };
        if (!ok) errors[field] = kind switch
        {
            FieldKind.Name => $"{field} may hold only Latin letters (accented ones included), spaces, apostrophes, hyphens and dots.",
            FieldKind.Place => $"{field} may hold only Latin letters (accented ones included), digits, spaces and ' - . , ( ) /.",
            FieldKind.Code => $"{field} may hold only the letters A–Z, digits, spaces, hyphens and underscores, starting with a letter or digit.",
            FieldKind.Phone => $"{field} must be a telephone number: digits, spaces and + ( ) . / -, e.g. +39 06 1234567.",
            FieldKind.Email => $"{field} is not a valid e-mail address.",
            _ => $"{field} is not valid.",
        };
    }

    public enum FieldKind { Name, Place, Code, Phone, Email }

    /// <summary>Latin letters the form's faces (DejaVu Sans, Liberation Sans) print: ASCII, the Latin-1 letters and
    /// Latin Extended-A (U+0100–U+017F). Italian names also have spaces, apostrophes (' and ’), hyphens and dots.</summary>
    private static bool IsNameChar(char c) => IsLetter(c) || c is ' ' or '\'' or '\u2019' or '-' or '.';

    private static bool IsLetter(char c) => char.IsAsciiLetter(c)
        || c is >= '\u00C0' and <= '\u00FF' and not '\u00D7' and not '\u00F7'
        || c is >= '\u0100' and <= '\u017F';

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 _-]*$")]
    private static partial Regex CodeShape();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()./-]*$")]
    private static partial Regex PhoneShape();
}
