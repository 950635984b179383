using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.Worker.Pipeline;

public static class PipelineServices
{
    /// <summary>The pipeline's jobs (with the decision policy, <see cref="DecisionServices.AddDecisionOptions"/>), the retry policy, the sweep, the outbox delivery and a Hangfire server that runs them.</summary>
    public static IServiceCollection AddPipelineServices(this IServiceCollection services)
    {
        // One Tesseract engine per worker thread at most (each loads ita+eng once, ~0.2 s, and is reused).
        services.AddSingleton(_ => new VerifyPipeline.Worker.Reading.Ocr.OcrEnginePool());
        services.AddRunner();
        services.AddTransient<CasePipeline>();
        services.AddTransient<IPipelineEntry>(sp => sp.GetRequiredService<CasePipeline>());
        services.AddHangfireServer((sp, o) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            o.WorkerCount = jobs.WorkerCount;
            o.Queues = StageQueues.InPriority;
            o.SchedulePollingInterval = jobs.SchedulePollingInterval;
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            ApplyRetryPolicy(jobs);
        });
        services.AddHostedService<WorkFolderCleanup>();
        services.AddHostedService<Sweep>();
        services.AddSingleton<CoolingOff>();
        services.AddHostedService(sp => sp.GetRequiredService<CoolingOff>());
        services.AddOptions<OutboxOptions>().BindSection(OutboxOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Mode == DeliveryMode.Folder || !string.IsNullOrWhiteSpace(o.SmtpHost), "Outbox:SmtpHost is required when Outbox:Mode is Smtp.")
            .ValidateOnStart();
        services.AddSingleton<IOutboxSender, EmailSender>();
        // No redirects: a callback goes to the URL the client registered, nowhere else.
        services.AddHttpClient(CallbackSender.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<IOutboxSender, CallbackSender>();
        services.AddTransient<IOutboxSender, PinMarkSender>();
        services.AddHostedService<OutboxDelivery>();
        return services;
    }

    /// <summary>The runner (<see cref="SubmissionRunner"/>) with its budgets and policy, bound and validated once: the worker's
    /// and <c>verify check</c>'s. Needs an <see cref="VerifyPipeline.Worker.Reading.Ocr.OcrEnginePool"/>.</summary>
    public static IServiceCollection AddRunner(this IServiceCollection services)
    {
        services.AddDecisionOptions();
        services.AddOptions<PipelineOptions>().BindSection(PipelineOptions.Section).ValidateOnStart();
        services.AddSingleton<SubmissionRunner>();
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
