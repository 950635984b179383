using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace VerifyPipeline.Cases;

public static class HostDefaults
{
    /// <summary>Adds the appsettings.json shipped beside the assemblies, so a host started from any folder gets the
    /// embedded defaults; environment variables and the command line are re-added after it so they still win.</summary>
    public static IConfigurationBuilder AddVerifyPipelineDefaults(this IConfigurationBuilder config, string[] args)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(shipped)) config.AddJsonFile(shipped, optional: true, reloadOnChange: false);
        // The demo API keys and reviewer accounts (DESIGN.md) ship in their own file so that a deployment can leave
        // them out entirely: VP_DEMO_CREDENTIALS=off. A scaled configuration refuses to start while they are loaded.
        var demo = Path.Combine(AppContext.BaseDirectory, "demo-credentials.json");
        if (DemoCredentialsEnabled && File.Exists(demo)) config.AddJsonFile(demo, optional: true, reloadOnChange: false);
        return config.AddEnvironmentVariables().AddCommandLine(args);
    }

    public static bool DemoCredentialsEnabled => Environment.GetEnvironmentVariable("VP_DEMO_CREDENTIALS") is not ("off" or "0" or "false");

    /// <summary>One line per log entry, UTC time stamp, with its scopes (the case id).
    /// Log messages carry ids, states, sizes and reason codes only — never names, codici fiscali or images.</summary>
    public static ILoggingBuilder AddVerifyPipelineConsole(this ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; o.UseUtcTimestamp = true; });
        return logging;
    }
}
