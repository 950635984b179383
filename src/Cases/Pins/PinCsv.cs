using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Cases.Pins;

/// <summary>The file of <c>verify pins import</c>: UTF-8 CSV, a header naming the columns <c>reference,codice_fiscale,status,email,phone</c>
/// (any order; <c>email</c> and <c>phone</c> may be left out or empty), one PIN a line; blank lines and lines starting
/// with <c>#</c> are skipped. Every bad row is reported with its line number and what to change; a file with any bad
/// row imports nothing.</summary>
public static partial class PinCsv
{
    public static readonly string[] Columns = ["reference", "codice_fiscale", "status", "email", "phone"];
    public const int ReferenceMax = 32;

    public sealed record Parsed(IReadOnlyList<(int Line, Pin Pin)> Rows, IReadOnlyList<string> Errors);

    /// <param name="today">The date a codice fiscale's birth date may not be after.</param>
    public static Parsed Parse(TextReader reader, DateOnly today)
    {
        var rows = new List<(int, Pin)>();
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, int>? header = null;
        var n = 0;
        while (reader.ReadLine() is { } text)
        {
            n++;
            if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith('#')) continue;
            if (!TrySplit(text, out var fields))
            {
                errors.Add($"line {n}: a quoted field is not closed (\"…\"); fix the quotes / virgolette non chiuse.");
                continue;
            }
            if (header is null)
            {
                header = fields.Select((f, i) => (f.Trim().ToLowerInvariant(), i)).GroupBy(x => x.Item1).ToDictionary(g => g.Key, g => g.First().i);
                var unknown = header.Keys.Where(k => !Columns.Contains(k)).ToList();
                var missing = Columns.Take(3).Where(k => !header.ContainsKey(k)).ToList();
                if (unknown.Count > 0 || missing.Count > 0)
                {
                    errors.Add($"line {n}: the header must name the columns {string.Join(",", Columns)} (email and phone optional)" +
                        (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + (unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "") +
                        " / intestazione non valida.");
                    return new Parsed([], errors);
                }
                continue;
            }
            if (fields.Count != header.Count)
            {
                errors.Add($"line {n}: {fields.Count} fields, the header has {header.Count}; one PIN a line, fields separated by commas.");
                continue;
            }
            string? Get(string column) => header.TryGetValue(column, out var i) && fields[i].Trim() is { Length: > 0 } v ? v : null;
            var problems = new List<string>();
            var reference = Get("reference");
            if (reference is null) problems.Add("reference is empty");
            else if (reference.Length > ReferenceMax || !ReferenceShape().IsMatch(reference))
                problems.Add($"reference must be 1–{ReferenceMax} letters A–Z, digits, hyphens or underscores, starting with a letter or digit");
            var cf = Get("codice_fiscale")?.ToUpperInvariant();
            if (cf is null) problems.Add("codice_fiscale is empty");
            else if (CodiceFiscale.Parse(cf, today) is { Valid: false } bad)
                problems.Add($"codice_fiscale is not valid ({string.Join("; ", bad.Errors.Select(e => e.Message))})");
            var status = Get("status")?.ToLowerInvariant();
            if (status is not ("online" or "dispositivo" or "revoked"))
                problems.Add(status is null ? "status is empty: write online, dispositivo or revoked" : "status must be online, dispositivo or revoked");
            var email = Get("email");
            if (email is not null && !IsEmail(email)) problems.Add("email is not one e-mail address (name@domain)");
            var phone = Get("phone");
            if (phone is not null && (phone.Length > 32 || !PhoneShape().IsMatch(phone))) problems.Add("phone must be a telephone number: digits, spaces and + ( ) . / -, e.g. +39 06 1234567");
            if (reference is not null && seen.TryGetValue(reference, out var first)) problems.Add($"reference repeats line {first}: one line per PIN");
            if (problems.Count > 0)
            {
                errors.Add($"line {n}: {string.Join("; ", problems)}.");
                continue;
            }
            seen[reference!] = n;
            rows.Add((n, new Pin(reference!, cf!, status == "dispositivo" ? PinType.Dispositivo : PinType.Online, status == "revoked", default, email, phone)));
        }
        if (header is null) errors.Add("the file is empty: it needs a header line (reference,codice_fiscale,status,email,phone) and one line per PIN.");
        return new Parsed(rows, errors);
    }

    /// <summary>The same PINs as an import file (what <c>verify demo</c> writes).</summary>
    public static string Write(IEnumerable<Pin> pins)
    {
        var sb = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var p in pins)
            sb.Append(string.Join(",", new[] { p.PinReference, p.CodiceFiscale, p.Status, p.RegisteredEmail ?? "", p.RegisteredPhone ?? "" }.Select(Quote))).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string v) => v.IndexOfAny([',', '"']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    private static bool IsEmail(string v) =>
        v.All(c => c is > ' ' and < '\u007f') && MailAddress.TryCreate(v, out var a) && a.Address == v && a.Host.Contains('.');

    /// <summary>RFC 4180 fields: commas separate, double quotes enclose a field that holds commas, "" is one quote.</summary>
    private static bool TrySplit(string line, out List<string> fields)
    {
        fields = [];
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return !quoted;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex ReferenceShape();

    [GeneratedRegex(@"^\+?[0-9][0-9 ()./-]*$")]
    private static partial Regex PhoneShape();

}
