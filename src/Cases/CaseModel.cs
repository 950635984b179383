using System.Text.Json.Serialization;

namespace VerifyPipeline.Cases;

[JsonConverter(typeof(JsonStringEnumConverter<CaseState>))]
public enum CaseState { Received, Processing, InReview, NeedsAttention, Approved, Rejected }

[JsonConverter(typeof(JsonStringEnumConverter<Channel>))]
public enum Channel { Portal, Fax }

public enum ActorKind { Machine, Person }

/// <summary>Who did something to a case: the machine (a stage, the sweep) or a person (a reviewer).</summary>
public sealed record Actor(ActorKind Kind, string Name)
{
    public static Actor Machine(string name) => new(ActorKind.Machine, name);
    public static Actor Person(string name) => new(ActorKind.Person, name);
    public override string ToString() => Kind == ActorKind.Machine ? $"machine:{Name}" : $"person:{Name}";
}

/// <summary>The file as received: content-addressed (SHA-256) and immutable.</summary>
public sealed record OriginalFile(string Sha256, string FileName, long SizeBytes, FileKind Kind)
{
    public string BlobKey => BlobKeys.ForContent(Sha256);
}

/// <summary>One leaf file after unpacking (the original itself when it is not an archive).</summary>
public sealed record Part(string Source, string Sha256, long SizeBytes, FileKind Kind)
{
    public string BlobKey => BlobKeys.ForContent(Sha256);
}

/// <summary>One page image. <c>Source</c> names where it came from, e.g. <c>bundle.zip/scan.pdf#2</c>; <c>Note</c>
/// says when it is not at its native resolution (a page over the pixel budget, rendered smaller).</summary>
public sealed record PageInfo(
    int Index, string Source, int WidthPx, int HeightPx, double DpiX, double DpiY,
    string Sha256, string MediaType, string Origin, string? Note = null)
{
    public string BlobKey => BlobKeys.ForContent(Sha256);
}

public sealed record CaseEvent(long Id, string CaseId, DateTimeOffset At, CaseState State, string Kind, Actor By, string? Detail);

public sealed record Case(
    string Id,
    string Client,
    Channel Channel,
    string? RequestId,
    CaseState State,
    int Version,
    OriginalFile Original,
    string? IdempotencyKey,
    string? SourceMeta,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Decision,
    IReadOnlyList<string> Reasons,
    string? Error,
    IReadOnlyList<Part>? Parts,
    IReadOnlyList<PageInfo>? Pages,
    string? Report = null,
    string? Read = null)
{
    public bool IsTerminal => CaseStates.IsTerminal(State);
    /// <summary>Retention and erasure (docs/data-retention.md): when the case was decided and when each kind of its
    /// personal data was deleted. The decision's record (id, dates, decision, reasons, history) outlives them all.</summary>
    public CaseRetention Retention { get; init; } = CaseRetention.None;
    /// <summary>How many files the case has received (1 until a second file joins it, issue 15): a stage saves its result,
    /// and a reviewer's page its decision, only for the file they read.</summary>
    public int FileNo { get; init; } = 1;
    /// <summary>How long each stage took to make its saved result (null: not saved yet, or saved before this was kept).</summary>
    public StageTimes StageMs { get; init; } = StageTimes.None;
}

/// <summary>Milliseconds each pipeline stage spent on the case's current file: unpack (<c>parts</c>), pages, read.</summary>
public sealed record StageTimes(long? Unpack, long? Pages, long? Read)
{
    public static StageTimes None { get; } = new(null, null, null);
}

/// <summary>When a decided case's personal data went: page images and crops, the original, the report, or everything at
/// once on a citizen's request (<see cref="ErasedAt"/>).</summary>
public sealed record CaseRetention(DateTimeOffset? DecidedAt, DateTimeOffset? ImagesPurgedAt, DateTimeOffset? OriginalPurgedAt,
    DateTimeOffset? ReportPurgedAt, DateTimeOffset? ErasedAt)
{
    public static readonly CaseRetention None = new(null, null, null, null, null);
}

public static class CaseStates
{
    public static bool IsTerminal(CaseState s) => s is CaseState.Approved or CaseState.Rejected;

    /// <summary>The machine's part of the life cycle: Received → Processing → (Approved | Rejected | InReview);
    /// InReview → (Approved | Rejected) by a person; any non-terminal state → NeedsAttention when a stage
    /// keeps failing, and back to Processing when someone retries it.</summary>
    public static bool CanMove(CaseState from, CaseState to) => (from, to) switch
    {
        (CaseState.Received, CaseState.Processing) => true,
        (CaseState.Processing, CaseState.InReview or CaseState.Approved or CaseState.Rejected) => true,
        (CaseState.InReview, CaseState.Approved or CaseState.Rejected or CaseState.Processing) => true,
        // The PIN's holder disputed the conversion through the notice's link: back to a person (CaseStore.DisputeAsync).
        (CaseState.Approved, CaseState.InReview) => true,
        (CaseState.Received or CaseState.Processing or CaseState.InReview, CaseState.NeedsAttention) => true,
        (CaseState.NeedsAttention, CaseState.Processing or CaseState.InReview) => true,
        _ => false,
    };
}

/// <summary>The declared data of a conversion request, as the portal sent it (DESIGN.md, contract).</summary>
public sealed record DeclaredDocument(string Type, string Number, string? IssuedBy, DateOnly? IssueDate, DateOnly ExpiryDate);

public sealed record RequestData(
    string PinReference, string CodiceFiscale, string Surname, string GivenNames, DateOnly BirthDate,
    string? BirthPlace, string? Email, string? Phone, DeclaredDocument Document)
{
    /// <summary>What an erased request holds instead of the citizen's data: nothing that names or reaches a person.</summary>
    public static readonly RequestData Erased = new("", "", "", "", default, null, null, null, new DeclaredDocument("", "", null, null, default));
}

public sealed record ConversionRequest(string Id, string Client, DateTimeOffset CreatedAt, RequestData Data)
{
    /// <summary>Set when the request's personal fields were erased (retention period passed, or the citizen asked):
    /// <see cref="Data"/> is then <see cref="RequestData.Erased"/>.</summary>
    public DateTimeOffset? ErasedAt { get; init; }
}

public enum PinType { Online, Dispositivo }

/// <summary>A PIN as the PIN directory knows it (<see cref="Pins.IPinDirectory"/>): its holder, its type, whether it was
/// revoked, and the contacts registered with it (where the holder is told of a conversion, not the request's).</summary>
public sealed record Pin(string PinReference, string CodiceFiscale, PinType Type, bool Revoked, DateTimeOffset UpdatedAt,
    string? RegisteredEmail = null, string? RegisteredPhone = null)
{
    /// <summary>The directory's status word: <c>online</c>, <c>dispositivo</c> or <c>revoked</c> (the import file, the PIN service).</summary>
    public string Status => Revoked ? "revoked" : Type == PinType.Dispositivo ? "dispositivo" : "online";
}

public sealed record OutboxMessage(long Id, string CaseId, string? Recipient, string Subject, string Body, DateTimeOffset CreatedAt, DateTimeOffset? SentAt)
{
    /// <summary>What the message is and so which sender delivers it (<see cref="OutboxKinds"/>).</summary>
    public string Kind { get; init; } = OutboxKinds.Letter;
    /// <summary>With the case and the kind, what makes a message unique (an event id, a notice's round; '' for one per case):
    /// enqueuing the same (case, kind, key) twice keeps the first.</summary>
    public string DedupeKey { get; init; } = "";
    /// <summary>Delivery attempts started (counted when claimed, so an attempt that crashed its worker counts too).</summary>
    public int Attempts { get; init; }
    /// <summary>The last failure, without the address (no personal data: it is shown to supervisors).</summary>
    public string? LastError { get; init; }
    /// <summary>Set when delivery was given up (<c>Outbox:MaxAttempts</c> reached or a permanent failure): a person must act.</summary>
    public DateTimeOffset? DeadAt { get; init; }
    public DateTimeOffset? ClaimedUntil { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    /// <summary>The W3C trace context of the step that queued it: its delivery joins the case's trace.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>The kinds of outbox message. Each kind has one sender (<c>IOutboxSender</c> in the worker): the e-mail kinds go
/// to a person's address; others (a call to another system) are added with their sender.</summary>
public static class OutboxKinds
{
    /// <summary>The decision's message to the citizen (one per case).</summary>
    public const string Letter = "letter";

    /// <summary>A case's state change posted to its API client's callback URL (docs/callbacks.md); the key is the event id,
    /// the recipient the client's name.</summary>
    public const string Callback = "callback";

    /// <summary>"Mark this PIN dispositivo", sent to the PIN service (<c>PinDirectory:Mode = Http</c>; one per case).</summary>
    public const string PinMark = "pin_mark";

    /// <summary>The notice of an approval to the PIN's holder, on the e-mail registered with the PIN: when the PIN becomes
    /// dispositivo and the link to say "non sono stato io" (one per notice; key = the notice's id).</summary>
    public const string PinNotice = "pin_notice";

    /// <summary>The cooling-off ended undisputed: the PIN is now dispositivo (to the registered e-mail; key = the notice's id).</summary>
    public const string PinConfirmation = "pin_confirmation";

    /// <summary>Kinds delivered as e-mail to <see cref="OutboxMessage.Recipient"/>.</summary>
    public static readonly IReadOnlySet<string> Email = new HashSet<string>(StringComparer.Ordinal) { Letter, PinNotice, PinConfirmation };
}

/// <summary>A message to put in the outbox (in the transaction that decided it, or on its own).</summary>
public sealed record OutboxItem(string Kind, string DedupeKey, string? Recipient, string Subject, string Body);

public static class BlobKeys
{
    public static string ForContent(string sha256) => $"sha256/{sha256[..2]}/{sha256}";
}
