using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Decisions;

namespace VerifyPipeline.Decisions;

/// <summary>The decision policy, configured under <c>Pipeline:Policy</c> (the section the pipeline's budgets share).</summary>
public sealed class DecisionOptions
{
    public const string Section = "Pipeline";
    /// <summary>Which certain failures the machine may reject on its own; everything else goes to a person.</summary>
    public DecisionPolicy Policy { get; set; } = new();
    /// <summary><c>Pipeline:Notice</c>: the notice to the PIN's holder that goes with an approval (<see cref="PinNotices"/>).</summary>
    public NoticeOptions Notice { get; set; } = new();
}

public static class DecisionServices
{
    /// <summary>The decision policy, bound and validated once for every host that decides: the worker, and the review host,
    /// whose correction of a misread value re-runs the rules with the configured policy (issue 12).</summary>
    public static IServiceCollection AddDecisionOptions(this IServiceCollection services)
    {
        // A configured Pipeline:Policy:AutoRejectReasons replaces the default list (OptionsBinding), so that a policy can
        // narrow what the machine rejects on its own.
        services.AddOptions<DecisionOptions>().BindSection(DecisionOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DecisionOptions>, PolicyValidation>();
        return services;
    }

    /// <summary>Refuses to start on an invalid <c>Pipeline:Policy</c>, naming each problem (DecisionPolicy.Validate: unknown
    /// reason codes, duplicates, SIGNATURE_MISMATCH without AllowSignatureMismatchAutoReject, an unknown signature mode, a
    /// cooling-off out of range).</summary>
    private sealed class PolicyValidation : Microsoft.Extensions.Options.IValidateOptions<DecisionOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, DecisionOptions o) =>
            o.Policy.Validate() is { Count: > 0 } errors
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors.Select(e => $"Pipeline:Policy:{e}"))
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
