using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Rules.Decisions;

namespace VerifyPipeline.Decisions;

/// <summary>The decision policy, configured under <c>Pipeline:Policy</c> (the section the pipeline's budgets share).</summary>
public sealed class DecisionOptions
{
    public const string Section = "Pipeline";
    /// <summary>Which certain failures the machine may reject on its own; everything else goes to a person.</summary>
    public DecisionPolicy Policy { get; set; } = new();
}

public static class DecisionServices
{
    /// <summary>The decision policy, bound and validated once for every host that decides: the worker, and the review host,
    /// whose correction of a misread value re-runs the rules with the configured policy (issue 12).</summary>
    public static IServiceCollection AddDecisionOptions(this IServiceCollection services)
    {
        services.AddOptions<DecisionOptions>().BindConfiguration(DecisionOptions.Section)
            // The binder appends configured items to a list's default (dotnet/runtime#46988): a configured list replaces it,
            // so that a policy can narrow what the machine rejects on its own.
            .Configure<IConfiguration>((o, config) =>
            {
                var listed = config.GetSection($"{DecisionOptions.Section}:Policy:{nameof(DecisionPolicy.AutoRejectReasons)}").Get<string[]>();
                if (listed is not null) o.Policy = o.Policy with { AutoRejectReasons = listed };
            })
            .Validate(o => o.Policy.Validate().Count == 0, "Pipeline:Policy is invalid (see DecisionPolicy.Validate: unknown reason codes, duplicates, or SIGNATURE_MISMATCH without AllowSignatureMismatchAutoReject).")
            .ValidateOnStart();
        return services;
    }
}
