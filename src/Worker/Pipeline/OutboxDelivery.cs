using System.ComponentModel.DataAnnotations;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Pipeline;

public enum DeliveryMode { Folder, Smtp }

public sealed class OutboxOptions
{
    public const string Section = "Outbox";
    /// <summary>Folder (embedded default): each message written as an .eml file; Smtp: sent through the server below.</summary>
    public DeliveryMode Mode { get; set; } = DeliveryMode.Folder;
    [Required] public string Folder { get; set; } = "data/outbox";
    public string? SmtpHost { get; set; }
    [Range(1, 65535)] public int SmtpPort { get; set; } = 25;
    public bool SmtpStartTls { get; set; }
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    [Required] public string From { get; set; } = "INPS PIN dispositivo <noreply-pin@example.invalid>";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Delivery attempts before the message is given up (dead-lettered: kept with its last error, shown to the supervisor).</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 8;
    /// <summary>The wait after the first failed attempt; it doubles after each further one, up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How long a worker's claim on a message lasts: longer than any delivery takes (MailKit gives up after
    /// 2 minutes), so that only a crashed worker's claim ever expires, and the message is then tried again.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Delivers one kind of outbox message (<see cref="OutboxKinds"/>). Throw <see cref="PermanentDeliveryFailure"/>
/// when trying again cannot help; any other exception is retried with back-off.</summary>
public interface IOutboxSender
{
    bool Handles(string kind);
    Task SendAsync(OutboxMessage message, CancellationToken ct);
    /// <summary>True when the exception says the receiver refused for good (e.g. an SMTP 5xx on the recipient).</summary>
    bool IsPermanent(Exception e) => false;
}

/// <summary>A delivery that can never succeed (no address, an address no message can carry): dead-lettered at once.</summary>
public sealed class PermanentDeliveryFailure(string message) : Exception(message);

/// <summary>Delivers what decisions and other steps put in the outbox (written in the transaction that caused it).
/// Each message is claimed with a lease before it is sent (two workers never send it at once) and marked sent only
/// after the delivery succeeded: a crash in between leaves the claim to expire and the message is sent later (at least
/// once, never lost). A failed attempt is counted and retried after a doubling back-off; after
/// <see cref="OutboxOptions.MaxAttempts"/> attempts, or at once when it can never succeed (no address, an address no
/// message can carry, a recipient refused for good), the message is dead-lettered with its last error for a person.
/// Which sender delivers a message is said by its kind.</summary>
public sealed partial class OutboxDelivery(CaseStore store, IEnumerable<IOutboxSender> senders, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDelivery> log)
    : BackgroundService
{
    private readonly IOutboxSender[] senders = senders.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try { await DeliverPendingAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Outbox pass failed; trying again at the next one"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    public async Task DeliverPendingAsync(CancellationToken ct)
    {
        var o = options.Value;
        foreach (var m in await store.ListDueOutboxAsync(100, ct))
        {
            if (!await store.ClaimOutboxAsync(m.Id, o.ClaimLease, ct)) continue; // another worker has it
            var attempt = m.Attempts + 1;
            using var _ = log.BeginScope("case {CaseId}", m.CaseId);
            var sender = senders.FirstOrDefault(s => s.Handles(m.Kind));
            try
            {
                if (sender is null) throw new PermanentDeliveryFailure($"No sender delivers outbox messages of kind '{m.Kind}' in this deployment.");
                await sender.SendAsync(m, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var error = $"{(e is PermanentDeliveryFailure ? "" : e.GetType().Name + ": ")}{Redact(e.Message, m.Recipient)}";
                var giveUp = e is PermanentDeliveryFailure || sender?.IsPermanent(e) == true || attempt >= o.MaxAttempts;
                var wait = Backoff(attempt);
                await store.RecordOutboxFailureAsync(m.Id, error, wait, giveUp, CancellationToken.None);
                if (giveUp)
                    log.LogWarning("Outbox message {Id} ({Kind}) given up after {Attempts} attempt(s), shown to the supervisor: {Error}", m.Id, m.Kind, attempt, error);
                else
                    log.LogWarning("Outbox message {Id} ({Kind}) not delivered (attempt {Attempt} of {Max}), next try at {Next:O}: {Error}",
                        m.Id, m.Kind, attempt, o.MaxAttempts, clock.GetUtcNow() + wait, error);
                continue;
            }
            await store.MarkOutboxSentAsync(m.Id, CancellationToken.None);
            log.LogInformation("Outbox message {Id} ({Kind}) delivered (attempt {Attempt})", m.Id, m.Kind, attempt);
        }
    }

    /// <summary>RetryBackoff × 2^(attempt − 1), at most RetryBackoffMax.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var o = options.Value;
        var ticks = o.RetryBackoff.Ticks * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(ticks, o.RetryBackoffMax.Ticks));
    }

    /// <summary>Errors are logged and shown to supervisors: the citizen's address (and anything like one) is taken out.</summary>
    private static string Redact(string message, string? recipient)
    {
        if (!string.IsNullOrEmpty(recipient)) message = message.Replace(recipient, "<address>", StringComparison.OrdinalIgnoreCase);
        return EmailLike().Replace(message, "<address>");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+")]
    private static partial System.Text.RegularExpressions.Regex EmailLike();
}

/// <summary>The e-mail kinds (<see cref="OutboxKinds.Email"/>): an .eml file in a folder (embedded default) or SMTP.</summary>
public sealed class EmailSender(IOptions<OutboxOptions> options, IHostEnvironment env) : IOutboxSender
{
    public bool Handles(string kind) => OutboxKinds.Email.Contains(kind);

    /// <summary>The server refused the recipient for good (5xx to RCPT TO): sending again cannot help.</summary>
    public bool IsPermanent(Exception e) =>
        e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } s && (int)s.StatusCode >= 500;

    public async Task SendAsync(OutboxMessage m, CancellationToken ct)
    {
        if (m.Recipient is null) throw new PermanentDeliveryFailure("The request has no e-mail address: the citizen must be told another way.");
        MimeMessage mime;
        try { mime = ToMime(m); }
        catch (ParseException e) { throw new PermanentDeliveryFailure($"The e-mail address cannot be used: {e.Message}"); }
        await DeliverAsync(mime, m, ct);
    }

    private MimeMessage ToMime(OutboxMessage m)
    {
        var mime = new MimeMessage { Subject = m.Subject, Body = new TextPart("plain") { Text = m.Body } };
        mime.From.Add(MailboxAddress.Parse(options.Value.From));
        mime.To.Add(MailboxAddress.Parse(m.Recipient!));
        mime.MessageId = $"outbox-{m.Id}-{m.CaseId}@verifypipeline";
        return mime;
    }

    private async Task DeliverAsync(MimeMessage mime, OutboxMessage m, CancellationToken ct)
    {
        var o = options.Value;
        if (o.Mode == DeliveryMode.Folder)
        {
            var dir = Path.Combine(env.ContentRootPath, o.Folder);
            Directory.CreateDirectory(dir);
            var tmp = Path.Combine(dir, $".{m.Id}.tmp");
            await mime.WriteToAsync(tmp, ct);
            File.Move(tmp, Path.Combine(dir, $"{m.CreatedAt:yyyyMMddTHHmmss}-{m.Id}-{m.CaseId}.eml"), overwrite: true);
            return;
        }
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(o.SmtpHost!, o.SmtpPort, o.SmtpStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
        if (o.SmtpUser is not null) await smtp.AuthenticateAsync(o.SmtpUser, o.SmtpPassword ?? "", ct);
        await smtp.SendAsync(mime, ct);
        await smtp.DisconnectAsync(true, ct);
    }
}
