using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

public static class IngestServices
{
    public const string ApiClientPolicy = "ApiClient";

    /// <summary>The upload API's services, the API-key scheme and (unless disabled) the fax inbox watcher.</summary>
    /// <param name="servesApi">false for a host that does not serve the API (a review-only or worker host): it needs no
    /// API client configured.</param>
    public static IServiceCollection AddIngestServices(this IServiceCollection services, bool servesApi = true)
    {
        services.AddOptions<IngestOptions>().BindSection(IngestOptions.Section).ValidateDataAnnotations()
            .Validate(o => !servesApi || o.Clients.Count > 0, "Ingest:Clients must name at least one API client with its Key.")
            .Validate(o => o.Clients.Values.All(c => c.Key.Length >= 12), "Every Ingest:Clients:<name>:Key must be at least 12 characters.")
            .Validate(o => o.Clients.Values.Select(c => c.Key).Distinct().Count() == o.Clients.Count, "Two Ingest:Clients share the same Key.")
            .ValidateOnStart();
        services.AddOptions<FaxInboxOptions>().BindSection(FaxInboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Intake>();
        services.AddSingleton<FaxInbox>();
        services.AddHostedService(sp => sp.GetRequiredService<FaxInbox>());
        services.AddHealthChecks().AddCheck<FaxInboxHealthCheck>("fax_inbox", tags: ["ready"]);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiClientPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
