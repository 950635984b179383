using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace VerifyPipeline.Cases;

/// <summary>OpenTelemetry for any host (docs/telemetry.md): the pipeline's traces and metrics (<see cref="Telemetry"/>),
/// exported over OTLP when <c>Telemetry:OtlpEndpoint</c> (or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is set, and kept for a
/// Prometheus scrape when <c>Telemetry:Prometheus</c> is true (a web host then serves <c>/metrics</c>); with
/// <c>Telemetry:Enabled</c> alone it collects for exporters added by the host (the tests' in-memory one). None set:
/// nothing is registered and the instruments cost next to nothing.</summary>
public static class TelemetryServices
{
    public static IServiceCollection AddVerifyTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var otlp = config["Telemetry:OtlpEndpoint"] is { Length: > 0 } e ? e : Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        var prometheus = config.GetValue<bool>("Telemetry:Prometheus");
        if (string.IsNullOrEmpty(otlp) && !prometheus && !config.GetValue<bool>("Telemetry:Enabled")) return services;
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["Telemetry:ServiceName"] is { Length: > 0 } n ? n : "verifypipeline"))
            // The upload's HTTP span is the root of a case's trace (a portal's sampled traceparent is continued).
            // Probes and scrapes are left out; query strings are not recorded (the instrumentation's default).
            .WithTracing(t => t.AddSource(Telemetry.Name).AddAspNetCoreInstrumentation(o => o.Filter = http =>
                !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics")))
            .WithMetrics(m =>
            {
                m.AddMeter(Telemetry.Name);
                if (prometheus) m.AddPrometheusExporter();
            });
        if (!string.IsNullOrEmpty(otlp))
        {
            if (!Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint))
                throw new InvalidOperationException($"Telemetry:OtlpEndpoint '{otlp}' is not an absolute URL (e.g. http://collector:4317).");
            var protocol = config["Telemetry:OtlpProtocol"] is "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            otel.UseOtlpExporter(protocol, endpoint);
        }
        return services;
    }
}
