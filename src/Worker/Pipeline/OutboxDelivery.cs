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
}

/// <summary>Delivers the citizen's messages that decisions put in the outbox (written in the decision's transaction).
/// Each message is claimed before it is sent, so any number of workers deliver it once; a failed delivery gives the
/// claim back and is tried again at the next pass.</summary>
public sealed class OutboxDelivery(CaseStore store, IOptions<OutboxOptions> options, IHostEnvironment env, ILogger<OutboxDelivery> log) : BackgroundService
{
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
        foreach (var m in await store.GetOutboxAsync(null, unsentOnly: true, ct))
        {
            if (!await store.MarkSentAsync(m.Id, ct)) continue; // another worker has it
            using var _ = log.BeginScope("case {CaseId}", m.CaseId);
            if (m.Recipient is null)
            {
                log.LogWarning("Outbox message {Id} has no e-mail address: not delivered", m.Id);
                continue;
            }
            try
            {
                await DeliverAsync(ToMime(m), m, ct);
                log.LogInformation("Outbox message {Id} delivered ({Mode})", m.Id, options.Value.Mode);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await store.UnmarkSentAsync(m.Id, CancellationToken.None);
                log.LogWarning("Outbox message {Id} not delivered, will retry: {Error}", m.Id, e.Message);
            }
        }
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
