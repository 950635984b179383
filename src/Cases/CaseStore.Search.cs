namespace VerifyPipeline.Cases;

/// <summary>The review desk's look-ups ("find anything", issue 15): exact matches in SQL on the columns both databases
/// hold as plain text, and the recent requests for the desk to hold typo-tolerant comparisons against (surnames live in
/// the request's JSON, and edit distance is not SQL that SQLite and PostgreSQL share).</summary>
public sealed partial class CaseStore
{
    /// <summary>Requests whose id, codice fiscale or PIN reference is exactly <paramref name="term"/> (the codice fiscale
    /// and the PIN compared upper-case, as the portal stores them), newest first.</summary>
    public async Task<IReadOnlyList<ConversionRequest>> FindRequestsExactAsync(string term, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select * from requests where id = @id or upper(codice_fiscale) = @upper or upper(pin_reference) = @upper
            order by created_at desc limit 200
            """, MapRequest, ct, ("id", term.ToLowerInvariant()), ("upper", term.ToUpperInvariant()));
    }

    /// <summary>The newest <paramref name="limit"/> requests: the window typo-tolerant search compares against.</summary>
    public async Task<IReadOnlyList<ConversionRequest>> ListRecentRequestsAsync(int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from requests order by created_at desc, id desc limit @limit", MapRequest, ct, ("limit", limit));
    }

    /// <summary>The cases of these requests (every state), newest first.</summary>
    public async Task<IReadOnlyList<Case>> ListCasesOfRequestsAsync(IReadOnlyCollection<string> requestIds, CancellationToken ct = default)
    {
        if (requestIds.Count == 0) return [];
        var names = requestIds.Select((_, i) => $"@r{i}").ToList();
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, $"select * from cases where request_id in ({string.Join(", ", names)}) order by created_at desc, id desc", MapCase, ct,
            requestIds.Select((id, i) => ($"r{i}", (object?)id)).ToArray());
    }

    /// <summary>Cases whose id starts or ends with <paramref name="part"/> (hex digits only: anything else finds nothing).
    /// The desk shows a case by the last 8 characters of its id (the first ones are a timestamp, alike for a day's cases).</summary>
    public async Task<IReadOnlyList<Case>> FindCasesByIdPartAsync(string part, int limit, CancellationToken ct = default)
    {
        part = part.ToLowerInvariant();
        if (part.Length == 0 || !part.All(Uri.IsHexDigit)) return [];
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from cases where id like @p or id like @s order by created_at desc limit @limit", MapCase, ct,
            ("p", part + "%"), ("s", "%" + part), ("limit", limit));
    }

    /// <summary>Whether another case for this PIN (through its request) was approved: one conversion per PIN (issue 15). The
    /// registry may not say dispositivo yet (a cooling-off, a dispute window), but a second file must not convert it again.</summary>
    public async Task<bool> AnyApprovedCaseForPinAsync(string pinReference, string exceptCaseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var n = await c.ScalarAsync(null,
            "select count(*) from cases c join requests r on r.id = c.request_id where r.pin_reference = @pin and c.state = 'Approved' and c.id <> @id",
            ct, ("pin", pinReference), ("id", exceptCaseId));
        return Convert.ToInt64(n) > 0;
    }
}
