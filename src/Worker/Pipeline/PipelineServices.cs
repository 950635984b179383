using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Pipeline;

public static class PipelineServices
{
    /// <summary>The pipeline's jobs, the retry policy, the sweep, the outbox delivery and a Hangfire server that runs them.</summary>
    public static IServiceCollection AddPipelineServices(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section)
            .Validate(o => o.Policy.Validate().Count == 0, "Pipeline:Policy is invalid (see DecisionPolicy.Validate: unknown reason codes, duplicates, or SIGNATURE_MISMATCH without AllowSignatureMismatchAutoReject).")
            .ValidateOnStart();
        // One Tesseract engine per worker thread at most (each loads ita+eng once, ~0.2 s, and is reused).
        services.AddSingleton(_ => new VerifyPipeline.Worker.Reading.Ocr.OcrEnginePool());
        services.AddTransient<CasePipeline>();
        services.AddTransient<IPipelineEntry>(sp => sp.GetRequiredService<CasePipeline>());
        services.AddHangfireServer((sp, o) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            o.WorkerCount = jobs.WorkerCount;
            o.SchedulePollingInterval = jobs.SchedulePollingInterval;
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            ApplyRetryPolicy(jobs);
        });
        services.AddHostedService<WorkFolderCleanup>();
        services.AddHostedService<Sweep>();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Mode == DeliveryMode.Folder || !string.IsNullOrWhiteSpace(o.SmtpHost), "Outbox:SmtpHost is required when Outbox:Mode is Smtp.")
            .ValidateOnStart();
        services.AddSingleton<IOutboxSender, EmailSender>();
        services.AddHostedService<OutboxDelivery>();
        return services;
    }

    /// <summary>Hangfire keeps one global AutomaticRetry filter; its attempts and delays come from Storage:Jobs.</summary>
    private static void ApplyRetryPolicy(JobOptions jobs)
    {
        foreach (var f in GlobalJobFilters.Filters.Select(f => f.Instance).OfType<AutomaticRetryAttribute>())
        {
            f.Attempts = jobs.RetryAttempts;
            f.DelaysInSeconds = jobs.RetryDelaysSeconds;
            f.OnAttemptsExceeded = AttemptsExceededAction.Fail;
        }
    }
}
