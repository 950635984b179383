using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VerifyPipeline.Cases;

/// <summary>Where an API client wants to hear of its cases (docs/callbacks.md): <c>Ingest:Clients:&lt;name&gt;:CallbackUrl</c>
/// and <c>CallbackSecret</c>, beside the client's <c>Key</c>. Read here (not in Ingest) because every host that changes a
/// case's state writes the event, and the worker hosts send it.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Ingest";
    public Dictionary<string, CallbackClientOptions> Clients { get; set; } = new();
    /// <summary>How long one delivery attempt may take before it counts as failed (and is retried by the outbox).</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class CallbackClientOptions
{
    /// <summary>Absolute https URL (http only on loopback) the client's events are posted to; none: no callbacks.</summary>
    public string? CallbackUrl { get; set; }
    /// <summary>The key of the HMAC-SHA256 signature (at least 32 characters), shared with that client only.</summary>
    public string? CallbackSecret { get; set; }
}

/// <summary>The event a client receives when one of its cases changes state as the client sees it (the states of
/// <c>GET /api/cases/{id}</c>: NeedsAttention shows as Processing). Ids, states and reason codes only: no personal data.
/// <see cref="EventId"/> is the case id and its version, so the same change always makes the same event.</summary>
public sealed record CaseStateEvent(
    string EventId, string Type, DateTimeOffset OccurredAt, string CaseId, string? RequestId, string Channel, int Sequence,
    string State, string? Decision, IReadOnlyList<string> Reasons)
{
    public const string StateChanged = "case.state_changed";
}

/// <summary>Which clients have a callback, and the events written for them in the transaction of the state change.</summary>
public sealed class CallbackEvents(IOptions<CallbackOptions> options)
{
    public static readonly CallbackEvents None = new(Options.Create(new CallbackOptions()));
    private readonly HashSet<string> _subscribed = options.Value.Clients
        .Where(c => !string.IsNullOrWhiteSpace(c.Value.CallbackUrl)).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

    public bool Any => _subscribed.Count > 0;
    public bool IsSubscribed(string client) => _subscribed.Contains(client);

    /// <summary>The state a client sees: a case parked for staff (NeedsAttention) is still being worked on.</summary>
    public static CaseState Visible(CaseState s) => s == CaseState.NeedsAttention ? CaseState.Processing : s;

    internal static JsonSerializerOptions Json => WireJson.Options;

    public static string Serialize(CaseStateEvent e) => JsonSerializer.Serialize(e, Json);

    /// <summary>Inside the caller's transaction, after the case row was updated: the event for the case as it now is.</summary>
    internal async Task EnqueueAsync(CaseStore store, DbConnection c, DbTransaction tx, string caseId, DateTimeOffset at, CancellationToken ct)
    {
        var rows = await c.QueryAsync(tx, "select client, channel, request_id, state, decision, reasons, version from cases where id = @id", r => (
            Client: r.GetString(0), Channel: r.GetString(1), RequestId: r.IsDBNull(2) ? null : r.GetString(2), State: Enum.Parse<CaseState>(r.GetString(3)),
            Decision: r.IsDBNull(4) ? null : r.GetString(4), Reasons: r.GetString(5), Version: Convert.ToInt32(r.GetValue(6))), ct, ("id", caseId));
        var row = rows.Single();
        if (!IsSubscribed(row.Client)) return;
        var state = Visible(row.State);
        var decided = state is CaseState.Approved or CaseState.Rejected or CaseState.InReview;
        var e = new CaseStateEvent($"{caseId}.{row.Version}", CaseStateEvent.StateChanged, at, caseId, row.RequestId, row.Channel.ToLowerInvariant(),
            row.Version, state.ToString(), decided ? row.Decision : null,
            decided ? JsonSerializer.Deserialize<List<string>>(row.Reasons, Json)! : []);
        await store.EnqueueAsync(c, tx, caseId, new OutboxItem(OutboxKinds.Callback, e.EventId, row.Client, e.Type, Serialize(e)), ct);
    }
}

/// <summary>The signature of a callback (docs/callbacks.md): hex HMAC-SHA256, keyed with the client's secret, of the
/// Unix timestamp in seconds, a dot and the body's bytes; sent as <c>X-VP-Signature: v1=&lt;hex&gt;</c> with the
/// timestamp in <c>X-VP-Timestamp</c>. The receiver checks it, and that the timestamp is recent, before trusting the body.</summary>
public static class CallbackSignature
{
    public const string EventIdHeader = "X-VP-Event-Id";
    public const string TimestampHeader = "X-VP-Timestamp";
    public const string SignatureHeader = "X-VP-Signature";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }

    /// <summary>True when <paramref name="signature"/> is the body's and the timestamp is within <paramref name="tolerance"/>
    /// of <paramref name="now"/> (an old request replayed by someone who recorded it is refused). Constant-time compare.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ts)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds) return false;
        if (signature is null) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
