namespace VerifyPipeline.Cases;

/// <summary>A reviewer's verdict on a case's signature pair, kept with the pair's score (and the crops' blob keys, which
/// live as long as the case): approving the case accepts the pair, rejecting it for SIGNATURE_MISMATCH rejects it.
/// The supervisor learns the pass edge from these (docs/signatures.md); nothing changes an edge by itself.</summary>
public sealed record SignatureVerdict(string CaseId, string Reviewer, bool Accepted, double Score, string? Mode, string? FormCrop, string? DocumentCrop, DateTimeOffset At);

public sealed partial class CaseStore
{
    public async Task RecordSignatureVerdictAsync(SignatureVerdict v, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, """
            insert into signature_verdicts (case_id, reviewer, accepted, score, mode, form_crop, document_crop, at)
            values (@case, @reviewer, @accepted, @score, @mode, @form, @doc, @at)
            """, ct, ("case", v.CaseId), ("reviewer", v.Reviewer), ("accepted", v.Accepted), ("score", v.Score), ("mode", v.Mode),
            ("form", v.FormCrop), ("doc", v.DocumentCrop), ("at", v.At));
    }

    /// <summary>The latest <paramref name="limit"/> verdicts, newest first.</summary>
    public async Task<IReadOnlyList<SignatureVerdict>> ListSignatureVerdictsAsync(int limit = 5000, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from signature_verdicts order by at desc, id desc limit @limit", r => new SignatureVerdict(
            r.GetString(r.GetOrdinal("case_id")), r.GetString(r.GetOrdinal("reviewer")), r.GetBoolean(r.GetOrdinal("accepted")),
            r.GetDouble(r.GetOrdinal("score")), r.NullableString("mode"), r.NullableString("form_crop"), r.NullableString("document_crop"),
            r.Timestamp("at")), ct, ("limit", limit));
    }
}
