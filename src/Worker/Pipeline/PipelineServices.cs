using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Decisions;

namespace VerifyPipeline.Worker.Pipeline;

public static class PipelineServices
{
    /// <summary>The pipeline's options and decision policy, bound and validated once for every host that decides: the worker, and
    /// the review host, whose correction of a misread value re-runs the rules with the configured policy (issue 12).</summary>
    public static IServiceCollection AddPipelineOptions(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section)
            // The binder appends configured items to a list's default (dotnet/runtime#46988): a configured list replaces it,
            // so that a policy can narrow what the machine rejects on its own.
            .Configure<IConfiguration>((o, config) =>
            {
                var listed = config.GetSection($"{PipelineOptions.Section}:Policy:{nameof(DecisionPolicy.AutoRejectReasons)}").Get<string[]>();
                if (listed is not null) o.Policy = o.Policy with { AutoRejectReasons = listed };
            })
            .Validate(o => o.Policy.Validate().Count == 0, "Pipeline:Policy is invalid (see DecisionPolicy.Validate: unknown reason codes, duplicates, or SIGNATURE_MISMATCH without AllowSignatureMismatchAutoReject).")
            .ValidateOnStart();
        return services;
    }

    /// <summary>The pipeline's jobs (with <see cref="AddPipelineOptions"/>), the retry policy, the sweep, the outbox delivery and a Hangfire server that runs them.</summary>
    public static IServiceCollection AddPipelineServices(this IServiceCollection services)
    {
        services.AddPipelineOptions();
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
