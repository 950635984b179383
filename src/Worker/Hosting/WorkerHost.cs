using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VerifyPipeline.Cases;
using VerifyPipeline.Worker.Pipeline;
using VerifyPipeline.Cases.Retention;

namespace VerifyPipeline.Worker.Hosting;

/// <summary>`verify worker`: a process that only runs pipeline jobs. Start any number of them, on any number of
/// machines, against the same PostgreSQL (cases and jobs) and blob store; they share the work through Hangfire.</summary>
public static class WorkerHost
{
    /// <summary>The `verify` command line's exit code for a usage or configuration error (DESIGN.md).</summary>
    private const int UsageExit = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        PrivateFiles.RestrictProcess(); // everything this process writes is private (0600/0700)
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddVerifyPipelineDefaults();
        builder.Logging.AddVerifyPipelineConsole();
        builder.Services.AddCaseServices();
        builder.Services.AddPipelineServices();
        builder.Services.AddVerifyTelemetry(builder.Configuration);
        builder.Services.AddRetentionServices(runPurge: true);
        using var host = builder.Build();
        var jobs = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobOptions>>().Value;
        if (jobs.Provider == JobProvider.InMemory)
        {
            Console.Error.WriteLine("verify worker: Storage:Jobs:Provider is InMemory, so no other process can give this worker any job. " +
                "Set Storage__Jobs__Provider=Postgres and Storage__Jobs__Connection (and the case database and blob store) to share work.");
            return UsageExit;
        }
        try
        {
            await host.RunAsync();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            Console.Error.WriteLine($"verify worker: the configuration is not valid: {string.Join(" ", e.Failures)}");
            return UsageExit;
        }
        return 0;
    }
}
