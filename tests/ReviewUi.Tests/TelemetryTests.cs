using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Rules;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>One case through the embedded host with OpenTelemetry's in-memory exporters (docs/telemetry.md): one trace
/// from the upload through every stage to the decision and the outbox, one span per stage with its Hangfire job id; the
/// metrics' values; no personal data in any attribute; the Prometheus scrape and the readiness figures.</summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task OneRejectedCase_IsOneTraceWithASpanPerStage_AndCountedInTheMetrics_WithoutPersonalData()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        await using var host = new TestHost("embedded", _tmp.Path, new()
        {
            ["Telemetry:Prometheus"] = "true",
            ["Telemetry:BacklogInterval"] = "00:00:00.200",
        })
        {
            TestServices = s => s
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics)),
        };
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal, PinType.Online, revoked: true, pin: "PIN-T-TELEMETRY");
        var upload = await TestHost.UploadAsync(portal, requestId, Samples.ScannedPdf(2, 620, 877), name: "rossi-mario-documento.pdf");
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(90), CaseState.Rejected, CaseState.InReview, CaseState.NeedsAttention);
        Assert.Equal(CaseState.Rejected, c.State);
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await host.Store.GetOutboxAsync(caseId, unsentOnly: true)).Count > 0 && DateTime.UtcNow < until) await Task.Delay(100);
        var pipelineMetrics = host.Services.GetRequiredService<PipelineMetrics>();
        while (pipelineMetrics.Backlog?.ByState.GetValueOrDefault(CaseState.Rejected) != 1 && DateTime.UtcNow < until) await Task.Delay(100);

        // the trace: the upload's HTTP span, the receive, each job, the delivery of the letter — one trace id
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Activity[] snapshot;
        lock (spans) snapshot = spans.ToArray();
        var receive = Assert.Single(snapshot, a => a.OperationName == "case.receive");
        Assert.Equal(caseId, receive.GetTagItem(Telemetry.CaseIdTag));
        var trace = snapshot.Where(a => a.TraceId == receive.TraceId).ToList();
        string[] stages = ["pipeline.resume", "pipeline.unpack", "pipeline.pages", "pipeline.decide"];
        foreach (var name in stages.Append("outbox.deliver"))
        {
            var span = Assert.Single(trace, a => a.OperationName == name);
            Assert.Equal(caseId, span.GetTagItem(Telemetry.CaseIdTag));
        }
        foreach (var name in stages)
            Assert.False(string.IsNullOrEmpty(trace.Single(a => a.OperationName == name).GetTagItem(Telemetry.JobIdTag) as string), $"{name} has its Hangfire job id");
        Assert.Equal(3, stages.Skip(1).Select(n => trace.Single(a => a.OperationName == n).GetTagItem(Telemetry.JobIdTag)).Distinct().Count());
        var decide = trace.Single(a => a.OperationName == "pipeline.decide");
        Assert.Equal("reject", decide.GetTagItem("vp.decision"));
        Assert.Equal(ReasonCodes.PinNotEligible, decide.GetTagItem("vp.reasons"));
        Assert.Equal("done", decide.GetTagItem("vp.outcome"));
        var deliver = trace.Single(a => a.OperationName == "outbox.deliver");
        Assert.Equal(decide.SpanId, deliver.ParentSpanId);
        Assert.Equal("sent", deliver.GetTagItem("vp.outcome"));
        Assert.Contains(trace, a => a.Kind == ActivityKind.Server && a.SpanId == receive.ParentSpanId); // POST …/file

        // no personal data in any attribute of any span: not the name, codice fiscale, address, phone or file name
        var values = snapshot.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.DisplayName)).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.DoesNotMatch("(?i)rossi|mario|RSSMRA80A01H501U|example\\.org|0000000|documento", v));

        // the metrics
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        MetricSnapshot Last(string name)
        {
            lock (metrics) return metrics.Last(m => m.Name == name);
        }
        static bool Has(MetricPoint p, string key, string value)
        {
            foreach (var t in p.Tags) if (t.Key == key && Equals(t.Value, value)) return true;
            return false;
        }
        var durations = Last("vp.stage.duration").MetricPoints;
        foreach (var stage in new[] { "unpack", "pages", "read", "decide" })
            Assert.Equal(1, durations.Where(p => Has(p, "stage", stage) && Has(p, "outcome", "done")).Sum(p => p.GetHistogramCount()));
        Assert.Equal(1, Last("vp.decisions").MetricPoints.Where(p => Has(p, "decision", "reject") && Has(p, "decided_by", "machine")).Sum(p => p.GetSumLong()));
        Assert.Equal(1, Last("vp.decision.reasons").MetricPoints.Where(p => Has(p, "reason", ReasonCodes.PinNotEligible)).Sum(p => p.GetSumLong()));
        Assert.Equal(1, Last("vp.case.decision_latency").MetricPoints.Sum(p => p.GetHistogramCount()));
        Assert.Equal(1, Last("vp.outbox.deliveries").MetricPoints.Where(p => Has(p, "kind", "letter") && Has(p, "result", "sent")).Sum(p => p.GetSumLong()));
        Assert.Equal(1, Last("vp.cases").MetricPoints.Where(p => Has(p, "state", "Rejected")).Sum(p => p.GetGaugeLastValueLong()));
        Assert.Equal(0, Last("vp.queue.depth").MetricPoints.Sum(p => p.GetGaugeLastValueLong()));
        Assert.Equal(0, Last("vp.outbox.dead").MetricPoints.Sum(p => p.GetGaugeLastValueLong()));
        Assert.Equal(1.0, Last("vp.automation.rate").MetricPoints.Single().GetGaugeLastValueDouble());
        Assert.Equal(0, Last("vp.fax_inbox.waiting").MetricPoints.Sum(p => p.GetGaugeLastValueLong()));

        // Prometheus scrape (text format) and the readiness figures
        var scrape = await host.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("vp_decisions", scrape);
        Assert.Contains("vp_stage_duration", scrape);
        Assert.DoesNotMatch("(?i)rossi|RSSMRA", scrape);
        var ready = await host.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");
        var backlog = ready.GetProperty("checks").GetProperty("backlog");
        Assert.Equal("Healthy", backlog.GetProperty("status").GetString());
        Assert.Contains("0 case(s) unprocessed", backlog.GetProperty("description").GetString());
        Assert.Equal(0, backlog.GetProperty("data").GetProperty("outbox_backlog").GetInt64());
    }
}
