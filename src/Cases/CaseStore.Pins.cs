using System.Data.Common;

namespace VerifyPipeline.Cases;

/// <summary>What an import did to one PIN.</summary>
public enum PinImportOutcome { Added, Changed, Unchanged }

/// <summary>One row of an import and what it did: the fields it changed (<c>codice_fiscale</c>, <c>status</c>, <c>email</c>, <c>phone</c>).</summary>
public sealed record PinImportLine(int Line, string PinReference, PinImportOutcome Outcome, IReadOnlyList<string> Changed);

// The local PIN table: the PIN directory of the embedded mode and the demo (Pins.LocalPinDirectory), fed by
// `verify pins import`. The real directory is INPS's (Pins.HttpPinDirectory).
public sealed partial class CaseStore
{
    public async Task<Pin?> GetPinAsync(string pinReference, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from pins where pin_reference = @p", MapPin, ct, ("p", pinReference));
        return list.SingleOrDefault();
    }

    /// <summary>Adds or replaces a PIN (demo data and tests; a file of them goes through <see cref="ImportPinsAsync"/>).</summary>
    public async Task UpsertPinAsync(Pin pin, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await UpsertPinAsync(c, null, pin, ct);
    }

    /// <summary>Writes the PINs of an import file in one transaction (all or none) and says for each what it did: added,
    /// changed (which fields) or left as it was. Running the same file twice changes nothing the second time.</summary>
    public async Task<IReadOnlyList<PinImportLine>> ImportPinsAsync(IReadOnlyList<(int Line, Pin Pin)> rows, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var result = new List<PinImportLine>();
        foreach (var (line, pin) in rows)
        {
            var before = (await c.QueryAsync(tx, "select * from pins where pin_reference = @p", MapPin, ct, ("p", pin.PinReference))).SingleOrDefault();
            var changed = before is null ? [] : Differences(before, pin);
            var outcome = before is null ? PinImportOutcome.Added : changed.Count > 0 ? PinImportOutcome.Changed : PinImportOutcome.Unchanged;
            if (outcome != PinImportOutcome.Unchanged) await UpsertPinAsync(c, tx, pin, ct);
            result.Add(new PinImportLine(line, pin.PinReference, outcome, changed));
        }
        await tx.CommitAsync(ct);
        return result;
    }

    private static List<string> Differences(Pin a, Pin b)
    {
        var d = new List<string>();
        if (a.CodiceFiscale != b.CodiceFiscale) d.Add("codice_fiscale");
        if (a.Status != b.Status) d.Add("status");
        if (a.RegisteredEmail != b.RegisteredEmail) d.Add("email");
        if (a.RegisteredPhone != b.RegisteredPhone) d.Add("phone");
        return d;
    }

    private Task<int> UpsertPinAsync(DbConnection c, DbTransaction? tx, Pin pin, CancellationToken ct) => c.ExecAsync(tx, """
        insert into pins (pin_reference, codice_fiscale, type, revoked, updated_at, registered_email, registered_phone) values (@p, @cf, @t, @r, @now, @email, @phone)
        on conflict (pin_reference) do update set codice_fiscale = excluded.codice_fiscale, type = excluded.type, revoked = excluded.revoked,
          updated_at = excluded.updated_at, registered_email = excluded.registered_email, registered_phone = excluded.registered_phone
        """, ct, ("p", pin.PinReference), ("cf", pin.CodiceFiscale), ("t", pin.Type.ToString()), ("r", pin.Revoked), ("now", Now),
        ("email", pin.RegisteredEmail), ("phone", pin.RegisteredPhone));

    private static Pin MapPin(DbDataReader r) => new(
        r.GetString(r.GetOrdinal("pin_reference")), r.GetString(r.GetOrdinal("codice_fiscale")),
        Enum.Parse<PinType>(r.GetString(r.GetOrdinal("type"))), r.GetBoolean(r.GetOrdinal("revoked")), r.Timestamp("updated_at"),
        r.NullableString("registered_email"), r.NullableString("registered_phone"));
}
