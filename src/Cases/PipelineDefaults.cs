using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Logging;

namespace VerifyPipeline.Cases;

public static class PipelineDefaults
{
    /// <summary>Puts the appsettings.json shipped beside the assemblies (the embedded defaults) underneath every other
    /// configuration source, so a host started from any folder gets them and anything else (content-root files,
    /// environment variables, the command line, test settings) still wins. The demo API keys and reviewer accounts
    /// (DESIGN.md) ship in their own file so that a deployment can leave them out entirely with VP_DEMO_CREDENTIALS=off;
    /// a scaled configuration refuses to start while they are loaded.</summary>
    public static IConfigurationBuilder AddVerifyPipelineDefaults(this IConfigurationBuilder config)
    {
        var layers = new List<string> { Path.Combine(AppContext.BaseDirectory, "appsettings.json") };
        if (DemoCredentialsEnabled) layers.Add(Path.Combine(AppContext.BaseDirectory, "demo-credentials.json"));
        var at = 0;
        foreach (var file in layers.Where(File.Exists))
            config.Sources.Insert(at++, new JsonConfigurationSource { Path = file, Optional = true, FileProvider = null, ReloadOnChange = false }.Also(s => s.ResolveFileProvider()));
        return config;
    }

    private static T Also<T>(this T value, Action<T> act) { act(value); return value; }

    public static bool DemoCredentialsEnabled => Environment.GetEnvironmentVariable("VP_DEMO_CREDENTIALS") is not ("off" or "0" or "false");

    /// <summary>One line per log entry, UTC time stamp, with its scopes (the case id).
    /// Log messages carry ids, states, sizes and reason codes only — never names, codici fiscali or images.</summary>
    public static ILoggingBuilder AddVerifyPipelineConsole(this ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; o.UseUtcTimestamp = true; });
        return logging;
    }
}
