using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace VerifyPipeline.Cases.Retention;

public static class RetentionServices
{
    /// <summary>The retention periods (validated at start, each problem naming its key), the erasure and purge service,
    /// and — where jobs run — the periodic purge. A review-only host gets the erasure without the purge.</summary>
    public static IServiceCollection AddRetentionServices(this IServiceCollection services, bool runPurge)
    {
        services.AddOptions<RetentionOptions>().BindSection(RetentionOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionValidation>());
        services.TryAddSingleton<PersonalData>();
        if (runPurge) services.AddHostedService<RetentionPurge>();
        return services;
    }

    private sealed class RetentionValidation : IValidateOptions<RetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RetentionOptions o) =>
            o.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
