using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace VerifyPipeline.Cases;

/// <summary>
/// The notice to the PIN's holder that goes with an approval (the guard against a traced signature, docs/signatures.md):
/// written in the approval's transaction. <see cref="DueAt"/> is when the PIN becomes dispositivo unless the holder
/// disputes it through the link before (at or before the approval: converted at once, as without a cooling-off).
/// <see cref="Message"/>'s recipient is ignored: the notice goes to the e-mail registered with the PIN, never to one the
/// request or the form gave.
/// </summary>
/// <param name="TokenHash">SHA-256 of the link's token (<see cref="PinNoticeTokens"/>); the token itself is never stored.</param>
public sealed record PinNotice(string TokenHash, DateTimeOffset DueAt, DateTimeOffset ExpiresAt, OutboxDraft Message);

/// <summary>A notice as stored: <see cref="State"/> is pending (cooling off), converted (the PIN is dispositivo) or
/// disputed (the holder said it was not them; the case went back to a supervisor).</summary>
public sealed record PinNoticeRecord(
    long Id, string CaseId, string PinReference, string HolderCodiceFiscale, string? RegisteredEmail, DateTimeOffset CreatedAt,
    DateTimeOffset DueAt, DateTimeOffset ExpiresAt, string State, DateTimeOffset? UsedAt, DateTimeOffset? ConvertedAt);

public enum DisputeOutcome { Disputed, UnknownOrUsed, Expired }

/// <summary>The link's token: 32 random bytes, URL-safe; only its hash is kept.</summary>
public static class PinNoticeTokens
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>What a link may carry: 43 URL-safe base64 characters (anything else is not one of ours).</summary>
    public static bool LooksValid(string? token) => token is { Length: 43 } && token.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_');
}

public sealed partial class CaseStore
{
    public const string NoticePending = "pending", NoticeConverted = "converted", NoticeDisputed = "disputed";

    /// <summary>Inside the approval's transaction: the notice row, the PIN converted now when the cooling-off is zero,
    /// and the message to the registered e-mail.</summary>
    private async Task WriteNoticeAsync(DbConnection c, DbTransaction tx, string caseId, PinConversion pin, PinNotice notice, CancellationToken ct)
    {
        var registered = (await c.QueryAsync(tx, "select registered_email from pins where pin_reference = @p", r => r.NullableString("registered_email"), ct,
            ("p", pin.PinReference))).FirstOrDefault();
        var convertNow = notice.DueAt <= Now;
        if (convertNow) await ConvertPinAsync(c, tx, caseId, pin, ct);
        else if (pin.Via == PinMarking.LocalTable)
        {
            // The same conditions as a conversion, checked now: the decision must not be recorded against a PIN that changed
            // (the PIN service checks its own when the conversion's call reaches it).
            var n = Convert.ToInt64(await c.ScalarAsync(tx,
                "select count(*) from pins where pin_reference = @pin and revoked = @f and type = 'Online' and codice_fiscale = @holder", ct,
                ("pin", pin.PinReference), ("f", false), ("holder", pin.HolderCodiceFiscale)));
            if (n != 1) throw new PinChangedException("The PIN is no longer online, not revoked and held by the codice fiscale the decision was taken against; nothing was written.");
        }
        var id = Convert.ToInt64(await c.ScalarAsync(tx, """
            insert into pin_notices (case_id, pin_reference, holder_cf, token_hash, created_at, due_at, expires_at, state, converted_at)
            values (@case, @pin, @holder, @hash, @now, @due, @exp, @state, @conv) returning id
            """, ct, ("case", caseId), ("pin", pin.PinReference), ("holder", pin.HolderCodiceFiscale), ("hash", notice.TokenHash), ("now", Now),
            ("due", notice.DueAt), ("exp", notice.ExpiresAt), ("state", convertNow ? NoticeConverted : NoticePending), ("conv", convertNow ? Now : null)));
        await AppendEventAsync(c, tx, caseId, Now, CaseState.Approved, "pin_notice", Actor.Machine("notice"),
            convertNow ? "PIN reso dispositivo; avviso al titolare sui recapiti registrati con il PIN"
                       : $"avviso al titolare sui recapiti registrati con il PIN; dispositivo dal {notice.DueAt:yyyy-MM-dd HH:mm} UTC salvo contestazione", ct);
        await EnqueueAsync(c, tx, caseId, new OutboxItem(OutboxKinds.PinNotice, id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            registered, notice.Message.Subject, notice.Message.Body), ct);
    }

    /// <summary>The conversion itself: the local row updated, or (the PIN service) its call written to the outbox — delivered
    /// once per case, idempotent by case id at the service, so a decision is never recorded without it, nor twice.</summary>
    private async Task ConvertPinAsync(DbConnection c, DbTransaction tx, string caseId, PinConversion pin, CancellationToken ct)
    {
        if (pin.Via == PinMarking.Outbox)
        {
            await EnqueueAsync(c, tx, caseId, Pins.PinMarkOrder.ToOutbox(caseId, pin), ct);
            return;
        }
        // The PIN's characters do not change on conversion: only its type (shared/domain/README.md).
        var n = await c.ExecAsync(tx,
            "update pins set type = 'Dispositivo', updated_at = @now where pin_reference = @pin and revoked = @f and type = 'Online' and codice_fiscale = @holder",
            ct, ("now", Now), ("pin", pin.PinReference), ("f", false), ("holder", pin.HolderCodiceFiscale));
        if (n != 1) throw new PinChangedException("The PIN is no longer online, not revoked and held by the codice fiscale the decision was taken against; nothing was written.");
    }

    public async Task<IReadOnlyList<PinNoticeRecord>> GetNoticesAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, NoticeSelect + " where n.case_id = @case order by n.id", MapNotice, ct, ("case", caseId));
    }

    /// <summary>Cases whose PIN's holder disputed the conversion and that are back in review: the supervisor's queue.</summary>
    public async Task<IReadOnlyList<PinNoticeRecord>> ListOpenDisputesAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, NoticeSelect + " join cases k on k.id = n.case_id where n.state = @s and k.state = 'InReview' order by n.used_at",
            MapNotice, ct, ("s", NoticeDisputed));
    }

    /// <summary>Every notice whose cooling-off has ended undisputed: the PIN becomes dispositivo and the holder is told
    /// (<paramref name="confirmation"/>, to the registered e-mail), one notice per transaction. A PIN that changed meanwhile
    /// (revoked, re-assigned, converted otherwise) is not converted: the notice is left pending and logged by the caller.
    /// Returns the notices converted and those that could not be.</summary>
    public async Task<(IReadOnlyList<PinNoticeRecord> Converted, IReadOnlyList<PinNoticeRecord> Refused)> ConvertDueAsync(
        Func<PinNoticeRecord, OutboxDraft> confirmation, PinMarking via = PinMarking.LocalTable, int limit = 100, CancellationToken ct = default)
    {
        List<PinNoticeRecord> due;
        await using (var c = await db.OpenAsync(ct))
            due = await c.QueryAsync(null, NoticeSelect + " where n.state = @s and n.due_at <= @now order by n.due_at limit @limit", MapNotice, ct,
                ("s", NoticePending), ("now", Now), ("limit", limit));
        var converted = new List<PinNoticeRecord>();
        var refused = new List<PinNoticeRecord>();
        foreach (var n in due)
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var moved = await c.ExecAsync(tx, "update pin_notices set state = @to, converted_at = @now where id = @id and state = @from", ct,
                ("to", NoticeConverted), ("now", Now), ("id", n.Id), ("from", NoticePending));
            if (moved != 1) { await tx.RollbackAsync(ct); continue; }
            try { await ConvertPinAsync(c, tx, n.CaseId, new PinConversion(n.PinReference, n.HolderCodiceFiscale, via), ct); }
            catch (PinChangedException) { await tx.RollbackAsync(ct); refused.Add(n); continue; }
            await AppendEventAsync(c, tx, n.CaseId, Now, CaseState.Approved, "pin_converted", Actor.Machine("cooling-off"),
                "periodo di attesa concluso senza contestazioni: PIN reso dispositivo", ct);
            var m = confirmation(n);
            await EnqueueAsync(c, tx, n.CaseId, new OutboxItem(OutboxKinds.PinConfirmation, n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                n.RegisteredEmail, m.Subject, m.Body), ct);
            await tx.CommitAsync(ct);
            converted.Add(n with { State = NoticeConverted, ConvertedAt = Now });
        }
        return (converted, refused);
    }

    /// <summary>"It was not me": the link's token, once. The notice becomes disputed, the PIN stays online (or is turned
    /// back to online when already converted), the case goes back to review with the dispute in its history. An unknown,
    /// used or expired token changes nothing and says no more than that.</summary>
    public async Task<(DisputeOutcome Outcome, string? CaseId)> DisputeAsync(string token, CancellationToken ct = default)
    {
        if (!PinNoticeTokens.LooksValid(token)) return (DisputeOutcome.UnknownOrUsed, null);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = (await c.QueryAsync(tx, NoticeSelect + " where n.token_hash = @h", MapNotice, ct, ("h", PinNoticeTokens.Hash(token)))).SingleOrDefault();
        if (n is null || n.UsedAt is not null || n.State == NoticeDisputed) { await tx.RollbackAsync(ct); return (DisputeOutcome.UnknownOrUsed, null); }
        if (n.ExpiresAt <= Now) { await tx.RollbackAsync(ct); return (DisputeOutcome.Expired, null); }
        var used = await c.ExecAsync(tx, "update pin_notices set state = @s, used_at = @now where id = @id and used_at is null", ct,
            ("s", NoticeDisputed), ("now", Now), ("id", n.Id));
        if (used != 1) { await tx.RollbackAsync(ct); return (DisputeOutcome.UnknownOrUsed, null); }
        var turnedBack = n.State == NoticeConverted && await c.ExecAsync(tx,
            "update pins set type = 'Online', updated_at = @now where pin_reference = @pin and type = 'Dispositivo' and codice_fiscale = @holder", ct,
            ("now", Now), ("pin", n.PinReference), ("holder", n.HolderCodiceFiscale)) == 1;
        var detail = "il titolare del PIN ha dichiarato di non aver fatto la richiesta (link dell'avviso): " +
                     (turnedBack ? "PIN riportato a online" : "il PIN resta online") + "; decide un supervisore";
        if (!await MoveAsync(c, tx, n.CaseId, [CaseState.Approved], CaseState.InReview, "disputed", Actor.Person("titolare del PIN"), detail,
                ", decision = @decision", ct, ("decision", "review")))
            await AppendEventAsync(c, tx, n.CaseId, Now, CaseState.InReview, "disputed", Actor.Person("titolare del PIN"), detail, ct);
        await tx.CommitAsync(ct);
        return (DisputeOutcome.Disputed, n.CaseId);
    }

    private const string NoticeSelect = """
        select n.*, p.registered_email from pin_notices n left join pins p on p.pin_reference = n.pin_reference
        """;

    private static PinNoticeRecord MapNotice(DbDataReader r) => new(
        Convert.ToInt64(r.GetValue(r.GetOrdinal("id"))), r.GetString(r.GetOrdinal("case_id")), r.GetString(r.GetOrdinal("pin_reference")),
        r.GetString(r.GetOrdinal("holder_cf")), r.NullableString("registered_email"), r.Timestamp("created_at"), r.Timestamp("due_at"),
        r.Timestamp("expires_at"), r.GetString(r.GetOrdinal("state")), r.NullableTimestamp("used_at"), r.NullableTimestamp("converted_at"));
}
