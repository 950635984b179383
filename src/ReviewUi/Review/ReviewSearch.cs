using System.Text.Json;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>One line of a search: a case (with its request when it has one) or a request no file has arrived for yet;
/// <see cref="Why"/> says in Italian what matched, <see cref="Distance"/> how many characters differ (0: exactly).</summary>
public sealed record SearchRow(Case? Case, ConversionRequest? Request, string Why, int Distance);

/// <summary>A request an unmatched fax may belong to, with what points to it (the form's QR, a codice fiscale or a name
/// read on the pages), best first by <see cref="Score"/>; <see cref="Cases"/> are the request's cases so far.</summary>
public sealed record MatchCandidate(ConversionRequest Request, IReadOnlyList<string> Why, int Score, IReadOnlyList<Case> Cases)
{
    public bool HasOpenCase => Cases.Any(c => !c.IsTerminal);
}

/// <summary>What the machine read on an unmatched fax that can tell its request (issue 15): the request id of the form's
/// QR (and whether its HMAC verified), the codici fiscali and the names read, each with the page it was read on.</summary>
public sealed record FaxClues(string? QrRequestId, bool QrVerified, int? QrPage, IReadOnlyList<(string Code, int? Page, string Where)> CodiciFiscali,
    IReadOnlyList<(string Surname, string? GivenNames, int? Page, string Where)> Names)
{
    public static readonly FaxClues None = new(null, false, null, [], []);
    public bool Any => QrRequestId is not null || CodiciFiscali.Count > 0 || Names.Count > 0;

    /// <summary>From a stored report's contract parts (DESIGN.md: <c>qr</c>, <c>documents[].kind</c>, <c>documents[].fields</c>,
    /// <c>documents[].pages</c>); a report without them gives no clues, never an error.</summary>
    public static FaxClues From(string? reportJson)
    {
        if (CaseReport.Parse(reportJson) is not { } r) return None;
        string? qrId = null; var verified = false; int? qrPage = null;
        if (r.Qr is { RequestId: { Length: > 0 } id } qr) (qrId, verified, qrPage) = (id, qr.Valid == true, qr.Page);
        var codes = new List<(string, int?, string)>();
        var names = new List<(string, string?, int?, string)>();
        foreach (var d in r.Documents)
        {
            if (d.Fields is not { } f) continue;
            var where = d.Kind == DocumentReport.FormKind ? "sul modulo" : "sul documento";
            int? page = d.Pages is { Count: > 0 } ps ? ps[0] : null;
            if (f.GetValueOrDefault("codice_fiscale") is { Length: > 0 } cf && codes.All(x => x.Item1 != cf)) codes.Add((cf.ToUpperInvariant(), page, where));
            if (f.GetValueOrDefault("surname") is { Length: > 0 } sn) names.Add((sn, f.GetValueOrDefault("given_names"), page, where));
            if (qrId is null && f.GetValueOrDefault("request_id") is { Length: > 0 } formId) qrId = formId;
        }
        // The facts the rules were given (typed records) say the same and more precisely: the page of each value.
        if (r.Facts is { } facts)
        {
            if (facts.Form.Qr is { RequestId: { Length: > 0 } factId } q && (qrId is null || q.Verified))
                (qrId, verified, qrPage) = (factId, q.Verified, q.Source.Page);
            void Code(Read<string>? cf, string where)
            {
                if (cf?.Value is { Length: > 0 } v && codes.All(x => x.Item1 != v.ToUpperInvariant())) codes.Add((v.ToUpperInvariant(), cf.Source.Page, where));
            }
            void Name(Read<string>? surname, Read<string>? given, string where)
            {
                if (surname?.Value is { Length: > 0 } sn && names.All(x => !PersonNames.SameSurname(x.Item1, sn))) names.Add((sn, given?.Value, surname.Source.Page, where));
            }
            // The document first: printed, it is read more reliably than the form's handwriting.
            foreach (var d in facts.Documents)
            {
                Code(d.Fields.CodiceFiscale, "sul documento");
                Name(d.Fields.Surname, d.Fields.GivenNames, "sul documento");
            }
            Code(facts.Form.Fields.CodiceFiscale, "sul modulo");
            Name(facts.Form.Fields.Surname, facts.Form.Fields.GivenNames, "sul modulo");
        }
        return new FaxClues(qrId, verified, qrPage, codes, names);
    }
}

/// <summary>Find anything (issue 15): one box for a codice fiscale, a surname (or surname and name), a request id, a PIN
/// reference or the first or last characters of a case id, tolerant of typos — a one-character slip in a 32-character request id
/// or a misread codice fiscale still finds it, with how many characters differ. Exact matches come from SQL over every
/// request; near ones are compared against the newest <see cref="ReviewOptions.SearchWindow"/> requests.</summary>
public sealed class ReviewSearch(CaseStore store, IOptionsMonitor<ReviewOptions> options)
{
    public const int MaxRows = 50;

    public async Task<IReadOnlyList<SearchRow>> SearchAsync(string? query, CancellationToken ct)
    {
        var q = (query ?? "").Trim();
        if (q.Length < 2 || q.Length > 100) return [];
        var compact = Compact(q);
        var requests = await CandidatesAsync(compact, ct);
        var hits = requests.Select(r => (Request: r, Hit: Match(r, q, compact))).Where(x => x.Hit is not null)
            .OrderBy(x => x.Hit!.Value.Distance).ThenByDescending(x => x.Request.CreatedAt).Take(MaxRows).ToList();
        var cases = (await store.ListCasesOfRequestsAsync(hits.Select(h => h.Request.Id).ToList(), ct)).ToLookup(c => c.RequestId!);
        var rows = new List<SearchRow>();
        // The desk shows a case by the last 8 characters of its id: those, the first ones or the whole id find it.
        if (compact.Length >= 4 && compact.All(Uri.IsHexDigit))
            foreach (var c in await store.FindCasesByIdPartAsync(compact, 20, ct))
                rows.Add(new SearchRow(c, c.RequestId is null ? null : await store.GetRequestAsync(c.RequestId, ct),
                    compact.Length == 32 ? "identificativo della pratica" : "parte dell'identificativo della pratica", 0));
        foreach (var (request, hit) in hits)
        {
            var mine = cases[request.Id].OrderBy(c => c.IsTerminal).ThenByDescending(c => c.CreatedAt).ToList();
            if (mine.Count == 0) rows.Add(new SearchRow(null, request, hit!.Value.Why + " · nessun file ricevuto", hit.Value.Distance));
            rows.AddRange(mine.Select(c => new SearchRow(c, request, hit!.Value.Why, hit.Value.Distance)));
        }
        return rows.DistinctBy(r => r.Case?.Id ?? "request:" + r.Request!.Id).Take(MaxRows).ToList();
    }

    /// <summary>The requests an unmatched fax may belong to, from what was read on it (<see cref="FaxClues"/>): the QR's
    /// request id, then the codici fiscali (modulo omocodia, or up to two characters misread), then the names.</summary>
    public async Task<IReadOnlyList<MatchCandidate>> FaxCandidatesAsync(FaxClues clues, CancellationToken ct)
    {
        if (!clues.Any) return [];
        var pool = new Dictionary<string, ConversionRequest>();
        foreach (var term in new[] { clues.QrRequestId }.Concat(clues.CodiciFiscali.Select(x => x.Code)).OfType<string>())
            foreach (var r in await store.FindRequestsExactAsync(Compact(term), ct)) pool.TryAdd(r.Id, r);
        foreach (var r in await store.ListRecentRequestsAsync(options.CurrentValue.SearchWindow, ct)) pool.TryAdd(r.Id, r);
        var scored = new List<(ConversionRequest Request, List<string> Why, int Score)>();
        foreach (var r in pool.Values)
        {
            var why = new List<string>();
            var score = 0;
            if (clues.QrRequestId is { } qrId)
            {
                var d = Levenshtein(qrId.ToLowerInvariant(), r.Id);
                var page = clues.QrPage is { } qp ? $" (p. {qp})" : "";
                if (d == 0) { why.Add(clues.QrVerified ? $"QR del modulo autentico{page}" : $"identificativo nel QR del modulo, non verificato{page}"); score += clues.QrVerified ? 100 : 60; }
                else if (d <= 2) { why.Add($"identificativo simile a quello del QR ({Differ(d)})"); score += 20; }
            }
            foreach (var (code, page, where) in clues.CodiciFiscali)
            {
                var d = CodiceFiscale.EqualModuloOmocodia(code, r.Data.CodiceFiscale) ? 0 : Levenshtein(code, r.Data.CodiceFiscale.ToUpperInvariant());
                var at = page is { } p ? $" {where} (p. {p})" : $" {where}";
                if (d == 0) { why.Add($"codice fiscale letto{at}"); score += 50; }
                else if (d <= 2) { why.Add($"codice fiscale simile a quello letto{at} ({Differ(d)})"); score += 30 - 5 * d; }
            }
            foreach (var (surname, given, page, where) in clues.Names)
            {
                var at = page is { } p ? $" {where} (p. {p})" : $" {where}";
                var s = PersonNames.Fold(surname);
                var rs = PersonNames.Fold(r.Data.Surname);
                if (s.Length == 0) continue;
                var sameGiven = given is not null && PersonNames.SameGivenNames(given, r.Data.GivenNames);
                if (PersonNames.SameSurname(surname, r.Data.Surname)) { why.Add(sameGiven ? $"nome e cognome letti{at}" : $"cognome letto{at}"); score += sameGiven ? 20 : 10; }
                else if (Levenshtein(s, rs) is var d && d <= Allowed(s.Length)) { why.Add($"cognome simile a quello letto{at}"); score += 5; }
            }
            if (score > 0) scored.Add((r, why.Distinct().ToList(), score));
        }
        var best = scored.OrderByDescending(x => x.Score).ThenByDescending(x => x.Request.CreatedAt).Take(5).ToList();
        var cases = (await store.ListCasesOfRequestsAsync(best.Select(x => x.Request.Id).ToList(), ct)).ToLookup(c => c.RequestId!);
        return best.Select(x => new MatchCandidate(x.Request, x.Why, x.Score, cases[x.Request.Id].ToList())).ToList();
    }

    private async Task<IReadOnlyList<ConversionRequest>> CandidatesAsync(string compact, CancellationToken ct)
    {
        var pool = new Dictionary<string, ConversionRequest>();
        if (compact.Length > 0)
            foreach (var r in await store.FindRequestsExactAsync(compact, ct)) pool.TryAdd(r.Id, r);
        foreach (var r in await store.ListRecentRequestsAsync(options.CurrentValue.SearchWindow, ct)) pool.TryAdd(r.Id, r);
        return pool.Values.ToList();
    }

    /// <summary>How <paramref name="r"/> answers the query: the closest of its id, codice fiscale, PIN and name, or null.</summary>
    public static (string Why, int Distance)? Match(ConversionRequest r, string query, string compact)
    {
        var best = ((string Why, int Distance)?)null;
        void Consider(string why, int d) { if (best is null || d < best.Value.Distance) best = (why, d); }
        var lower = compact.ToLowerInvariant();
        if (compact.Length >= 6)
        {
            if (lower == r.Id) Consider("identificativo della richiesta", 0);
            else if (r.Id.StartsWith(lower, StringComparison.Ordinal)) Consider("inizio dell'identificativo della richiesta", 0);
            else if (compact.Length >= 24 && Levenshtein(lower, r.Id) is var d && d <= 2) Consider($"identificativo della richiesta simile ({Differ(d)})", d);
        }
        if (compact.Length is >= 14 and <= 18)
        {
            if (compact.Length == 16 && CodiceFiscale.EqualModuloOmocodia(compact, r.Data.CodiceFiscale)) Consider("codice fiscale", 0);
            else if (Levenshtein(compact, r.Data.CodiceFiscale.ToUpperInvariant()) is var d && d <= 2) Consider($"codice fiscale simile ({Differ(d)})", d);
        }
        var pin = Compact(r.Data.PinReference);
        if (compact.Length >= 4 && compact == pin) Consider("riferimento del PIN", 0);
        else if (compact.Length >= 6 && Levenshtein(compact, pin) is var pd && pd <= 1) Consider($"riferimento del PIN simile ({Differ(pd)})", pd);
        var folded = PersonNames.Fold(query);
        if (folded.Length >= 2 && !query.Any(char.IsDigit))
        {
            var surname = PersonNames.Fold(r.Data.Surname);
            var given = PersonNames.Fold(r.Data.GivenNames);
            var sameName = new[] { $"{surname} {given}", $"{given} {surname}" }.Contains(folded);
            if (folded == surname) Consider("cognome", 0);
            else if (sameName) Consider("nome e cognome", 0);
            else if (folded.Length >= 3 && surname.StartsWith(folded, StringComparison.Ordinal)) Consider("cognome che inizia così", 1);
            else if (Levenshtein(folded, surname) is var nd && nd <= Allowed(folded.Length)) Consider($"cognome simile ({Differ(nd)})", nd);
            else if (new[] { $"{surname} {given}", $"{given} {surname}" }.Min(n => Levenshtein(folded, n)) is var fd && fd <= Allowed(folded.Length)) Consider($"nome e cognome simili ({Differ(fd)})", fd);
        }
        return best;
    }

    /// <summary>Typos tolerated in a name of this length: none up to 4 letters (too many names would match), then 1, then 2.</summary>
    private static int Allowed(int length) => length <= 4 ? 0 : length <= 7 ? 1 : 2;

    private static string Differ(int d) => d == 1 ? "1 carattere diverso" : $"{d} caratteri diversi";

    /// <summary>Letters and digits only, upper case: "rssmra80 a01h501u" → "RSSMRA80A01H501U".</summary>
    public static string Compact(string s) => new(s.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    /// <summary>Edit distance (insertions, deletions, substitutions), stopping early past 3: only small distances matter here.</summary>
    public static int Levenshtein(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 3) return 4;
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var rowMin = cur[0];
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                rowMin = Math.Min(rowMin, cur[j]);
            }
            if (rowMin > 3) return 4;
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
