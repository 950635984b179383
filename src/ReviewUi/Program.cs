using Microsoft.Extensions.Configuration.Memory;
using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi;

// The review host and the ingest host of the scaled configuration (Hosting:ServeReview / ServeIngest choose which):
// no pipeline jobs here, and none of the imaging stack (OpenCV, tesseract, PdfPig) is referenced — the jobs run in
// `verify worker`, or all in one process in src/Host (./run.sh).
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddVerifyPipelineDefaults();
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = [new("Hosting:RunJobs", "false")] });
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5080");
builder.AddVerifyPipeline(jobs: null);

var app = builder.Build();
app.UseVerifyPipeline();
app.Run();
